import fc from 'fast-check';
import { expect } from 'vitest';
import { requestFor, type KnownValues } from './hostile-requests.js';
import { headerText } from './hostile-values.js';
import type { Endpoint } from './openapi-endpoints.js';
import { expectProblem, languageCases } from './problem-checks.js';
import { sendRaw } from './raw-http.js';
import { testTarget } from './target.js';

/** What the database looks like to a test: `all` of it, and the part no request of the test may ever change. */
export interface Observation {
  all: unknown;
  untouchable: unknown;
}

export interface EndpointFuzz<Caller extends { kind: string }> {
  baseUrl: string;
  endpoints: Endpoint[];
  known: KnownValues;
  /** Who sends a request: signed in or not, operator or not… */
  callers: fc.Arbitrary<Caller>;
  headersOf: (caller: Caller) => Record<string, string>;
  observe: () => Promise<Observation>;
  /** The share of the runs an endpoint gets (default 1): less for those another fuzz covers in depth. */
  shareOf?: (endpoint: Endpoint) => number;
  /** The fixed seed a CI run replays; FUZZ_SEED overrides it (see fuzzSeed). */
  defaultSeed: number;
}

/** Enough to find the usual suspects in well under a minute on two cores; raise it locally to dig deeper. */
const RUNS_PER_ENDPOINT = Number(process.env.FUZZ_RUNS_PER_ENDPOINT ?? 100);

/**
 * When one `npm test` runs the integration tests on both targets (vitest.config.ts sets
 * YOYAKU_FUZZ_TARGETS=2), each target sends its own half of the runs, from a seed of its own:
 * the run as a whole sends as many different requests as one target alone, instead of the same
 * requests twice. A single target (the embedded default, or FUZZ_SEED given) sends them all.
 */
const targets = process.env.FUZZ_SEED === undefined ? Math.max(1, Number(process.env.YOYAKU_FUZZ_TARGETS ?? 1)) : 1;
const targetIndex = targets > 1 && testTarget === 'services' ? 1 : 0;

/**
 * A fixed seed by default, so a CI run can be replayed exactly; FUZZ_SEED=random explores new
 * inputs (fast-check prints the seed of a failure), FUZZ_SEED=<n> replays one.
 */
function fuzzSeed(defaultSeed: number): number | undefined {
  return process.env.FUZZ_SEED === 'random' ? undefined : Number(process.env.FUZZ_SEED ?? defaultSeed + targetIndex);
}

const languages = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...languageCases) },
  { weight: 1, arbitrary: headerText.map((header) => ({ header, expected: undefined })) },
);

/**
 * Throws plausible and hostile requests at each endpoint and checks, for every answer: never a
 * 5xx; a 4xx is a translated problem with a known code and leaves the database as it was; even
 * a success leaves the untouchable part alone.
 */
export async function fuzzEveryEndpoint<Caller extends { kind: string }>(fuzz: EndpointFuzz<Caller>): Promise<void> {
  for (const endpoint of fuzz.endpoints) {
    let before = await fuzz.observe();
    const property = fc.asyncProperty(requestFor(endpoint, fuzz.known), fuzz.callers, languages, async (request, caller, language) => {
      const headers = { ...fuzz.headersOf(caller) };
      if (request.contentType !== undefined) headers['content-type'] = request.contentType;
      if (language.header !== undefined) headers['accept-language'] = language.header;
      const response = await sendRaw(fuzz.baseUrl, { ...request, headers });
      const label = `${endpoint.method} ${endpoint.path} as ${caller.kind}: ${request.method} ${request.path.slice(0, 200)} → ${response.status} ${response.text.slice(0, 300)}`;
      // Compare with the state just before this request, and move on from the state after it even
      // when a check fails, so that fast-check's shrinking replays see where they really start.
      const previous = before;
      const after = (before = await fuzz.observe());
      expect(response.status, label).toBeLessThan(500);
      if (response.status >= 400) {
        expectProblem(response, language.expected, label);
        expect(after.all, `${label}\nA rejected request changed the database`).toEqual(previous.all);
      } else {
        expect(after.untouchable, `${label}\nA request changed what it must never touch`).toEqual(previous.untouchable);
      }
    });
    const seed = fuzzSeed(fuzz.defaultSeed);
    const numRuns = Math.max(1, Math.round((RUNS_PER_ENDPOINT * (fuzz.shareOf?.(endpoint) ?? 1)) / targets));
    await fc.assert(property, { numRuns, ...(seed === undefined ? {} : { seed }) });
  }
}
