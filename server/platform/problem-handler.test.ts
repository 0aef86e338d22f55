import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { AppError, type ProblemCode } from './errors.js';
import { registerProblemHandler } from './problem-handler.js';

/** The OpenAPI document promises Retry-After on every 429 and 503: the one problem handler keeps that promise. */
describe('Retry-After', () => {
  async function answer(code: ProblemCode, details?: Record<string, unknown>) {
    const app = Fastify();
    registerProblemHandler(app);
    app.get('/', async () => {
      throw new AppError(code, details);
    });
    const response = await app.inject({ method: 'GET', url: '/' });
    await app.close();
    return { status: response.statusCode, retryAfter: response.headers['retry-after'] };
  }

  it('is sent on every 429 and 503, the problem’s own figure rounded up when it has one', async () => {
    expect(await answer('too-many-attempts')).toEqual({ status: 429, retryAfter: '60' });
    expect(await answer('rate-limited', { retryAfterSeconds: 2.2 })).toEqual({ status: 429, retryAfter: '3' });
    expect(await answer('resend-too-soon', { retryAfterSeconds: 0.1 })).toEqual({ status: 429, retryAfter: '1' });
    expect(await answer('unavailable')).toEqual({ status: 503, retryAfter: '5' });
    expect(await answer('unavailable', { retryAfterSeconds: 10 })).toEqual({ status: 503, retryAfter: '10' });
  });

  it('is not sent where trying again cannot help', async () => {
    expect(await answer('slot-full')).toEqual({ status: 409, retryAfter: undefined });
    expect(await answer('internal')).toEqual({ status: 500, retryAfter: undefined });
  });
});
