import type { FastifyRequest } from 'fastify';

/**
 * The waiting room's checkpoint on the booking endpoints. When the waiting room is on, a request
 * without a valid admission token is refused with `admission-required`; when it is off, or for
 * the embedded default with no waiting room configured, everyone passes.
 */
export interface AdmissionGate {
  /** Throws unless the request may pass; says whom it was admitted for (undefined: no admission needed). */
  assertAdmitted(request: FastifyRequest): Admission | undefined;
}

/** What an admission lets its browser do: act for the person who queued, and their family. */
export interface Admission {
  /** Whether this resident is the one who queued and was admitted. */
  isFor(municipalityCode: string, residentId: number): boolean;
  /** The request's signed-in account, when there is one (then it is the admitted person). */
  accountId: number | undefined;
}

export const alwaysOpenGate: AdmissionGate = { assertAdmitted: () => undefined };
