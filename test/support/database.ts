import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../server/db/database.js';
import { serviceUrls, TEST_SCHEMA } from './target.js';

let shared: Promise<Db> | undefined;

/**
 * The database of this test worker: one PGlite (in a temporary folder) or one PostgreSQL pool,
 * opened once and shared by every test file the worker runs. Files keep apart by each creating
 * their own municipality.
 */
export function testDatabase(): Promise<Db> {
  shared ??= (async () => {
    const { databaseUrl } = serviceUrls();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-test-'));
    return openDatabase({ url: databaseUrl, dataDir, schema: databaseUrl ? TEST_SCHEMA : 'public', poolMax: 20 });
  })();
  return shared;
}
