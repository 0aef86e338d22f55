import fc from 'fast-check';
import {
  awkwardBodyText,
  awkwardContentType,
  awkwardJson,
  awkwardKey,
  awkwardQueryTail,
  awkwardSegment,
  awkwardShortString,
  percentEncode,
  toJsonText,
} from './hostile-values.js';
import type { Endpoint, JsonSchema, Parameter } from './openapi-endpoints.js';

/** Real values from the test data (ids, voucher numbers, reservation numbers…), by field name. */
export type KnownValues = Record<string, readonly (string | number)[]>;

export interface HostileRequest {
  method: string;
  /** Percent-encoded path and query string. */
  path: string;
  body: string | undefined;
  contentType: string | undefined;
}

/**
 * Half the requests are plausible (right method, JSON, real or schema-valid values, at most one
 * field spoilt) so that they get past validation and probe the services; the other half are
 * hostile throughout, to probe parsing and validation.
 */
type Mood = 'plausible' | 'hostile';

/** A value that satisfies the schema, so the request reaches the service (anything, for a type not used by the routes). */
function validFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  switch (schema.type) {
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -(2 ** 31), max: schema.maximum ?? 2 ** 31 - 1 });
    case 'boolean':
      return fc.boolean();
    case 'string':
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: schema.maxLength ?? 30 });
    default:
      return awkwardJson;
  }
}

function plausibleValue(name: string, schema: JsonSchema, known: KnownValues): fc.Arbitrary<unknown> {
  const real = known[name] ?? [];
  if (real.length === 0) return validFor(schema);
  return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...real) }, { weight: 1, arbitrary: validFor(schema) });
}

function bodyObject(schema: JsonSchema, known: KnownValues, mood: Mood): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const fields = fc.record(
    Object.fromEntries(
      properties.map(([name, field]) => {
        const value = mood === 'plausible' ? plausibleValue(name, field, known) : fc.oneof(plausibleValue(name, field, known), awkwardJson);
        const presence = mood === 'plausible' && required.has(name) ? 50 : 4;
        return [name, fc.option(value, { freq: presence, nil: undefined })];
      }),
    ),
  );
  if (mood === 'hostile') {
    const extra = fc.option(fc.dictionary(awkwardKey, awkwardJson, { minKeys: 1, maxKeys: 3 }), { freq: 3, nil: undefined });
    return fc.tuple(fields, extra).map(([values, extraKeys]) => ({ ...extraKeys, ...values }));
  }
  if (properties.length === 0) return fields;
  const spoilt = fc.option(fc.tuple(fc.constantFrom(...properties.map(([name]) => name)), awkwardJson), { freq: 2, nil: undefined });
  return fc.tuple(fields, spoilt).map(([values, spoil]) => (spoil ? { ...values, [spoil[0]]: spoil[1] } : values));
}

function bodyAndType(endpoint: Endpoint, known: KnownValues, mood: Mood): fc.Arbitrary<Pick<HostileRequest, 'body' | 'contentType'>> {
  if (mood === 'plausible') {
    if (!endpoint.body) return fc.constant({ body: undefined, contentType: undefined });
    return bodyObject(endpoint.body, known, mood).map((value) => ({ body: toJsonText(value), contentType: 'application/json' }));
  }
  const body = fc.oneof(
    { weight: 6, arbitrary: (endpoint.body ? bodyObject(endpoint.body, known, mood) : awkwardJson).map(toJsonText) },
    { weight: 2, arbitrary: awkwardJson.map(toJsonText) },
    { weight: 2, arbitrary: awkwardBodyText },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  const contentType = fc.oneof({ weight: 2, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: awkwardContentType });
  return fc.record({ body, contentType });
}

function parameterValue(parameter: Parameter, known: KnownValues, mood: Mood): fc.Arbitrary<string> {
  const plausible = plausibleValue(parameter.name, parameter.schema, known).map((value) => percentEncode(String(value)));
  if (mood === 'plausible') return plausible;
  return fc.oneof(
    { weight: 2, arbitrary: plausible },
    { weight: 2, arbitrary: awkwardShortString.map(percentEncode) },
    { weight: 1, arbitrary: awkwardSegment },
  );
}

function pathWithParameters(endpoint: Endpoint, known: KnownValues, mood: Mood): fc.Arbitrary<string> {
  const segments = endpoint.parameters
    .filter((p) => p.in === 'path')
    .map((p) => parameterValue(p, known, mood).map((value) => [p.name, value] as const));
  return fc.tuple(...segments).map((pairs) => pairs.reduce((path, [name, value]) => path.replace(`{${name}}`, value), endpoint.path));
}

function queryString(endpoint: Endpoint, known: KnownValues, mood: Mood): fc.Arbitrary<string> {
  const declared = endpoint.parameters
    .filter((p) => p.in === 'query')
    .map((p) => {
      const once = parameterValue(p, known, mood).map((value) => [value]);
      // Sometimes the key repeated, which the parser turns into an array.
      const values =
        mood === 'plausible'
          ? once
          : fc.oneof({ weight: 4, arbitrary: once }, fc.array(parameterValue(p, known, mood), { minLength: 2, maxLength: 3 }));
      return fc.option(values, { freq: mood === 'plausible' ? 50 : 6, nil: [] }).map((list) => list.map((value) => `${p.name}=${value}`));
    });
  const extra =
    mood === 'plausible'
      ? fc.constant([])
      : fc
          .array(fc.tuple(awkwardShortString, awkwardShortString), { maxLength: 3 })
          .map((pairs) => pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`));
  const tail = mood === 'plausible' ? fc.constant(undefined) : fc.option(awkwardQueryTail, { freq: 5, nil: undefined });
  return fc.tuple(fc.tuple(...declared), extra, tail).map(([fromSchema, extraPairs, rawTail]) => {
    const parts = [...fromSchema.flat(), ...extraPairs, ...(rawTail === undefined ? [] : [rawTail])];
    return parts.length > 0 ? `?${parts.join('&')}` : '';
  });
}

function requestIn(endpoint: Endpoint, known: KnownValues, mood: Mood): fc.Arbitrary<HostileRequest> {
  const method =
    mood === 'plausible'
      ? fc.constant(endpoint.method)
      : fc.oneof({ weight: 9, arbitrary: fc.constant(endpoint.method) }, fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'));
  return fc
    .record({
      method,
      path: pathWithParameters(endpoint, known, mood),
      query: queryString(endpoint, known, mood),
      payload: bodyAndType(endpoint, known, mood),
    })
    .map(({ method: verb, path, query, payload }) => ({ method: verb, path: path + query, ...payload }));
}

/** A request aimed at one endpoint, plausible or hostile. */
export function requestFor(endpoint: Endpoint, known: KnownValues): fc.Arbitrary<HostileRequest> {
  return fc.oneof(requestIn(endpoint, known, 'plausible'), requestIn(endpoint, known, 'hostile'));
}
