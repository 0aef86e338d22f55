import type { Ajv } from 'ajv';

/** True when a value, or anything inside it, is a number that is not finite (Infinity, NaN). */
function holdsNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (Array.isArray(value)) return value.some(holdsNonFinite);
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsNonFinite);
  return false;
}

/**
 * Ajv plugin: refuses data that type coercion turned into Infinity. Ajv coerces the string
 * "Infinity" (a path parameter, a query value) to the number Infinity for an `integer`, and then
 * skips `minimum`/`maximum` for non-finite numbers, so `/me/family/Infinity` used to reach the
 * database. JSON itself cannot carry Infinity, so only coerced values are ever caught here.
 */
export function refuseNonFiniteNumbers(ajv: Ajv): Ajv {
  const compile = ajv.compile.bind(ajv);
  ajv.compile = ((schema: unknown, meta?: boolean) => {
    const validate = compile(schema as object, meta);
    const guarded = function (this: unknown, data: unknown, ...rest: unknown[]) {
      const valid = (validate as (...args: unknown[]) => boolean).call(this, data, ...rest);
      if (valid && holdsNonFinite(data)) {
        guarded.errors = [
          { instancePath: '', schemaPath: '#', keyword: 'type', params: { type: 'finite number' }, message: 'must be a finite number' },
        ];
        return false;
      }
      guarded.errors = validate.errors;
      return valid;
    } as unknown as typeof validate;
    return guarded;
  }) as typeof ajv.compile;
  return ajv;
}
