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

/** Field errors say what is wrong in the caller's language, with the rule's bound filled in. */
describe('field messages', () => {
  async function errors(language: string, schema: object, body: unknown) {
    const app = Fastify({ ajv: { customOptions: { allErrors: true } } });
    registerProblemHandler(app);
    app.post('/', { schema: { body: schema } }, async () => ({}));
    const response = await app.inject({ method: 'POST', url: '/', payload: body as object, headers: { 'accept-language': language } });
    await app.close();
    return (JSON.parse(response.body) as { errors: unknown[] }).errors;
  }
  const schema = {
    type: 'object',
    properties: { holdMinutes: { type: 'integer', minimum: 1 }, name: { type: 'string', maxLength: 3 } },
    required: ['name'],
  };

  it('fills in the limit, in Japanese and English', async () => {
    expect(await errors('ja', schema, { holdMinutes: 0, name: 'abcd' })).toEqual([
      { field: 'holdMinutes', rule: 'minimum', limit: 1, message: '1以上にしてください。' },
      { field: 'name', rule: 'maxLength', limit: 3, message: '3文字以内にしてください。' },
    ]);
    expect(await errors('en', schema, {})).toEqual([{ field: 'name', rule: 'required', message: 'This field is required.' }]);
  });

  it('gives a service’s own rules their text, and an unknown rule a plain one', async () => {
    const app = Fastify();
    registerProblemHandler(app);
    app.get('/', async () => {
      throw new AppError('invalid-request', {
        errors: [
          { field: 'code', rule: 'checkDigit' },
          { field: 'x', rule: 'no-such-rule' },
        ],
      });
    });
    const response = await app.inject({ method: 'GET', url: '/', headers: { 'accept-language': 'en' } });
    await app.close();
    expect(JSON.parse(response.body).errors).toEqual([
      { field: 'code', rule: 'checkDigit', message: 'The check digit (the last digit) of this local government code is wrong.' },
      { field: 'x', rule: 'no-such-rule', message: 'This value is not accepted.' },
    ]);
  });
});
