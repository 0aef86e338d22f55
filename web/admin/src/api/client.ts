import createClient from 'openapi-fetch';
import type { paths } from '../../../../shared/api/openapi';

/**
 * The staff app's one way to the server: openapi-fetch typed by the generated paths
 * (shared/api/openapi.d.ts), so a path, a parameter or a body the server does not take is a type
 * error. Every failure becomes an ApiProblem with the server's stable code (plus `network` and
 * `timeout`); a session that ended (`not-signed-in`) is reported to the session, which sends the
 * person back to sign in.
 */
export interface FieldError {
  field: string;
  rule: string;
  /** The server's translated "what is wrong" for this field (Accept-Language). */
  message?: string;
}

export class ApiProblem extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly fields: FieldError[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(code);
  }

  get retryable(): boolean {
    return this.code === 'network' || this.code === 'timeout' || this.status >= 500;
  }
}

const TIMEOUT_MS = 20_000;
let csrfToken: string | undefined;
let language = 'ja';
let onSessionEnded: () => void = () => undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export function setApiLanguage(lang: string): void {
  language = lang;
}

export function whenSessionEnds(listener: () => void): void {
  onSessionEnded = listener;
}

export const client = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
client.use({
  onRequest({ request }) {
    request.headers.set('accept', 'application/json');
    request.headers.set('accept-language', language);
    if (request.method !== 'GET' && csrfToken) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
});

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Awaits a client call: its body when it succeeded, else an ApiProblem thrown. */
export async function call<T>(request: (signal: AbortSignal) => Promise<Answer<T>>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  let answer: Answer<T>;
  try {
    answer = await request(controller.signal);
  } catch {
    throw new ApiProblem(controller.signal.aborted ? 'timeout' : 'network', 0);
  } finally {
    clearTimeout(timer);
  }
  if (answer.response.ok) return answer.data as T;
  const body = answer.error as Record<string, unknown> | undefined;
  const status = answer.response.status;
  if (!body || typeof body.code !== 'string') throw new ApiProblem(status >= 500 ? 'unavailable' : 'internal', status);
  const { code, status: _status, type: _type, title: _title, errors, ...details } = body;
  if (code === 'not-signed-in') onSessionEnded();
  throw new ApiProblem(code, status, Array.isArray(errors) ? (errors as FieldError[]) : [], details);
}
