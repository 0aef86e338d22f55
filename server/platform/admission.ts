import type { FastifyRequest } from 'fastify';

/**
 * The waiting room's checkpoint on the booking endpoints. When the waiting room is on, a request
 * without a valid admission token is refused with `admission-required`; when it is off, or for
 * the embedded default with no waiting room configured, everyone passes.
 */
export interface AdmissionGate {
  assertAdmitted(request: FastifyRequest): void | Promise<void>;
}

export const alwaysOpenGate: AdmissionGate = { assertAdmitted: () => undefined };
