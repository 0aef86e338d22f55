import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../server/db/database.js';
import { createTestMunicipality } from '../../test/support/fixtures.js';
import { RESIDENT_COUNT, type E2eEnv } from './env.js';
import { startWebServer } from './server.js';

export const WEB_ROOT = path.resolve('dist/web');

/**
 * Once per run of the e2e project: build the web app (so a fresh clone needs nothing else), open
 * an embedded database (PGlite) with its own municipality, venue, slots and residents, and start
 * the real server on a free loopback port. The browser tests run in other processes; they get the
 * addresses through `inject('e2e')` and read the database through a small read-only probe.
 */
export default async function setup(project: TestProject) {
  // Vite takes NODE_ENV from the environment, and Vitest sets it to "test": that would ship
  // React's development build (twice the size, every effect run twice). Build what users get.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.resolve('vite.config.ts'), mode: 'production', logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }

  const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-e2e-db-'));
  const db = await openDatabase({ url: undefined, dataDir: dbDir, schema: 'public', poolMax: 1 });
  const municipality = await createTestMunicipality(db, {
    // Two weeks of slots at two times a day, roomy enough that every run sees ○ everywhere.
    slots: 14,
    times: ['10:00', '14:00'],
    capacity: 50,
    // Born in the Shōwa era (1950-01-10, 1951-02-11, …) so any of them can sign in with 昭和.
    residents: Array.from({ length: RESIDENT_COUNT }, (_, i) => ({
      birthDate: `${1950 + i}-${String((i % 12) + 1).padStart(2, '0')}-${String(10 + i).padStart(2, '0')}`,
    })),
  });
  const server = await startWebServer(db, WEB_ROOT);

  const probe = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      void (async () => {
        try {
          const { sql, params } = JSON.parse(text) as { sql: string; params: unknown[] };
          if (!/^\s*select\b/i.test(sql)) throw new Error('only select statements');
          const result = await db.executeQuery(CompiledQuery.raw(sql, params));
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ rows: result.rows }));
        } catch (error) {
          response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };

  const env: E2eEnv = {
    baseUrl: server.url,
    dataDir: server.dataDir,
    probeUrl: `http://127.0.0.1:${port}/`,
    municipalityCode: municipality.code,
    venueId: municipality.venueId,
    slotIds: municipality.slotIds,
    residents: await Promise.all(
      municipality.residents.map(async (r) => {
        const { name_kanji } = await db.selectFrom('residents').select('name_kanji').where('id', '=', r.id).executeTakeFirstOrThrow();
        return { ...r, nameKanji: name_kanji };
      }),
    ),
  };
  project.provide('e2e', env);

  return async () => {
    await new Promise((resolve) => probe.close(resolve));
    await server.close();
    await db.destroy();
    fs.rmSync(dbDir, { recursive: true, force: true });
  };
}
