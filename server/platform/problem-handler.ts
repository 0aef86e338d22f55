import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/transaction.js';
import { AppError, problemStatus, problemType, type ProblemCode } from './errors.js';
import { fieldMessage, negotiateLanguage, problemTitle } from './language.js';

const DEFAULT_RETRY_AFTER_SECONDS: Record<number, number> = { 429: 60, 503: 5 };

/** A field that broke a rule; `limit` is the bound of a minimum, a length, a number of items. */
export interface FieldError {
  field: string;
  rule: string;
  limit?: number;
}

/**
 * One error handler for the whole API: every failure leaves as application/problem+json with a
 * stable `type` and `code`, and a `title` in the caller's language. Unknown errors become
 * `internal` without leaking their message.
 */
export function registerProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) return sendProblem(request, reply, error.code, error.details);
    if (error.validation) {
      return sendProblem(request, reply, 'invalid-request', { errors: fieldErrors(error) });
    }
    if (isDatabaseUnavailable(error)) {
      // A database at its connection limit or restarting: "try again in a few seconds", not a fault.
      request.log.error({ err: error }, 'request failed: database unavailable');
      return sendProblem(request, reply, 'unavailable', { retryAfterSeconds: 5, reason: 'database-unavailable' });
    }
    const code = fastifyErrorCode(error);
    if (code === 'internal' || code === 'unavailable') request.log.error({ err: error }, 'request failed');
    return sendProblem(request, reply, code);
  });
}

/**
 * Fastify's own answers to a URL it cannot route (bad percent-encoding, a path parameter over
 * maxParamLength) bypass the error handler and are plain JSON; this makes them problems too.
 * Passed as Fastify's `frameworkErrors` option.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const rule = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'maxLength' : 'format';
  return sendProblem(request, reply, 'invalid-request', { errors: [{ field: 'url', rule }] });
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ProblemCode,
  details: Record<string, unknown> = {},
): FastifyReply {
  const status = problemStatus[code];
  const language = negotiateLanguage(request.headers['accept-language']);
  // Every 429 and 503 says when to try again (the OpenAPI document promises it): the problem's own
  // figure when it has one, else a default.
  const retryAfter = typeof details.retryAfterSeconds === 'number' ? details.retryAfterSeconds : DEFAULT_RETRY_AFTER_SECONDS[status];
  if (retryAfter !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfter))));
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send({
      type: problemType(code),
      code,
      title: problemTitle(code, language),
      status,
      ...details,
      ...(Array.isArray(details.errors) ? { errors: withMessages(details.errors as FieldError[], language) } : {}),
    });
}

/** Each field error with the message a page can show beside the field, in the answer's language. */
function withMessages(errors: FieldError[], language: string): (FieldError & { message: string })[] {
  return errors.map((error) => ({ ...error, message: fieldMessage(error.rule, language, { limit: error.limit }) }));
}

function fieldErrors(error: FastifyError): FieldError[] {
  return (error.validation ?? []).map((issue) => {
    const params = issue.params as { missingProperty?: string; additionalProperty?: string; limit?: unknown } | undefined;
    const missing = params?.missingProperty ?? params?.additionalProperty;
    const pointer = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const field = [error.validationContext === 'body' ? '' : error.validationContext, pointer, missing].filter(Boolean).join('.');
    const limit = typeof params?.limit === 'number' ? { limit: params.limit } : {};
    return { field: field || (error.validationContext ?? 'body'), rule: issue.keyword, ...limit };
  });
}

function fastifyErrorCode(error: FastifyError): ProblemCode {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'payload-too-large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported-media-type';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'invalid-request';
    default:
      break;
  }
  if (error instanceof SyntaxError) return 'invalid-request';
  const status = error.statusCode ?? 500;
  if (status === 413) return 'payload-too-large';
  if (status === 415) return 'unsupported-media-type';
  if (status === 429) return 'rate-limited';
  if (status === 503) return 'unavailable';
  if (status >= 400 && status < 500) return 'invalid-request';
  return 'internal';
}
