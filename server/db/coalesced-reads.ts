/**
 * Reads that arrive while earlier ones are in flight wait for them and then go together, in one
 * statement: under load one round trip (a write, a wake-up of the database, a read of the
 * answer) serves many requests, and a quiet process reads each at once. A read that waited is
 * sent after its request arrived, so it is never older than a read of its own would have been.
 * For plain reads only: writes have their own grouping, with its own rules (grouped-booking.ts).
 */
export function createCoalescedReads<Request, Result>(
  readMany: (requests: Request[]) => Promise<Result[]>,
  options: {
    /** More than this in one statement waits for the next one. */
    maxBatch: number;
    /** Statements in flight at once; one suits a read that waits on no lock (the batches are largest). */
    maxInFlight: number;
    /**
     * A read not answered after this long stops counting as in flight (its requests still wait for
     * its answer or its error), so one connection hung in a failover cannot hold up every later read.
     */
    releaseAfterMs?: number;
  },
) {
  const releaseAfterMs = options.releaseAfterMs ?? 1000;
  const waiting: { request: Request; resolve(result: Result): void; reject(error: unknown): void }[] = [];
  let inFlight = 0;
  /** Statements sent and requests they served (tests, metrics). */
  const counts = { reads: 0, requests: 0 };

  function pump(): void {
    while (inFlight < options.maxInFlight && waiting.length > 0) {
      const batch = waiting.splice(0, options.maxBatch);
      inFlight += 1;
      counts.reads += 1;
      counts.requests += batch.length;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        clearTimeout(timer);
        inFlight -= 1;
        pump();
      };
      const timer = setTimeout(release, releaseAfterMs);
      timer.unref();
      // Through a promise, so that even a read that throws before it is sent answers its batch.
      Promise.resolve()
        .then(() => readMany(batch.map((w) => w.request)))
        .then((results) => {
          if (results.length !== batch.length) throw new Error(`a coalesced read answered ${results.length} of ${batch.length} requests`);
          batch.forEach((w, i) => w.resolve(results[i]!));
        })
        .catch((error: unknown) => batch.forEach((w) => w.reject(error)))
        .finally(release);
    }
  }

  return {
    counts: () => ({ ...counts }),

    /** One request's answer, read with whichever others are waiting when a statement is free. */
    read(request: Request): Promise<Result> {
      return new Promise((resolve, reject) => {
        waiting.push({ request, resolve, reject });
        pump();
      });
    },
  };
}
