import fs from 'node:fs';
import { testDatabase } from '../test/support/database.js';
import { startTestServer } from '../test/support/server.js';
import { API_TYPES_FILE, apiTypesOf } from './openapi-types.js';

/**
 * `npm run api:types`: starts the real server (embedded database in a temporary folder), reads its
 * OpenAPI document and writes the types generated from it to shared/api/openapi.d.ts.
 */
const db = await testDatabase();
const server = await startTestServer(db);
try {
  const document = (await server.request('GET', '/api/docs/json')).body as object;
  fs.writeFileSync(API_TYPES_FILE, await apiTypesOf(document));
  console.log(`wrote ${API_TYPES_FILE}`);
} finally {
  await server.close();
  await db.destroy();
}
