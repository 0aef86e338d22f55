import AjvCompiler from '@fastify/ajv-compiler';

const pool = AjvCompiler();

/**
 * Request validators, one Ajv per kind of input. Path parameters and query strings arrive as
 * text, so an `integer` there is coerced from "12"; a JSON body already carries its types, and
 * coercing it would accept the right voucher number or birth date sent as a number or a
 * one-element array. Identity fields are strings and nothing else: bodies are checked exactly.
 */
export const buildRequestValidators: AjvCompiler.BuildCompilerFromPool = (externalSchemas, options = {}) => {
  const coercing = pool(externalSchemas, options);
  const customOptions: AjvCompiler.Options = { ...(options.customOptions as AjvCompiler.Options | undefined), coerceTypes: false };
  const exact = pool(externalSchemas, { plugins: options.plugins, onCreate: options.onCreate, customOptions });
  // Fastify passes the route's part ({ schema, httpPart, … }), where the package's types say a schema.
  return (route) => ((route as { httpPart?: string }).httpPart === 'body' ? exact : coercing)(route);
};
