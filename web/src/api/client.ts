/**
 * The one way the pages talk to the server. Every failure becomes an ApiProblem with a stable
 * code the pages translate: the server's problem+json codes, plus two of our own for when the
 * server cannot be reached (`network`) or takes too long (`timeout`).
 */
export interface FieldError {
  field: string;
  rule: string;
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

  /** True when trying the same request again may work (nothing on our side was wrong). */
  get retryable(): boolean {
    return this.code === 'network' || this.code === 'timeout' || this.status >= 500;
  }
}

const TIMEOUT_MS = 20_000;
let csrfToken: string | undefined;
let language = 'ja';

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export function setApiLanguage(lang: string): void {
  language = lang;
}

export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: controller.signal,
    });
  } catch {
    throw new ApiProblem(controller.signal.aborted ? 'timeout' : 'network', 0);
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 204) return undefined as T;
  const data = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (response.ok && data !== undefined) return data as T;
  if (!data || typeof data.code !== 'string') throw new ApiProblem(response.status >= 500 ? 'unavailable' : 'internal', response.status);
  const { code, status: _status, type: _type, title: _title, errors, ...details } = data;
  throw new ApiProblem(code, response.status, Array.isArray(errors) ? (errors as FieldError[]) : [], details);
}
