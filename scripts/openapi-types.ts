import openapiTS, { astToString } from 'openapi-typescript';

/** Where the types generated from the server's OpenAPI document live (used by web/src/api/types.ts and the tests). */
export const API_TYPES_FILE = 'shared/api/openapi.d.ts';

const HEADER = [
  '// Generated from the OpenAPI document the server serves at /api/docs/json, by `npm run api:types`: do not edit.',
  '// test/integration/openapi-contract.test.ts fails when this file differs from what the server generates now.',
  '',
].join('\n');

/** The TypeScript types of an OpenAPI document (paths, operations by operationId, components), as openapi-typescript writes them. */
export async function apiTypesOf(document: object): Promise<string> {
  return HEADER + astToString(await openapiTS(document as Parameters<typeof openapiTS>[0]));
}
