import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/db/database.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { serviceUrls, TEST_SCHEMA } from '../support/target.js';

const { databaseUrl } = serviceUrls();
/** A role PostgreSQL lets hold one connection: the test takes it, and the server finds none left. */
const CAPPED_ROLE = 'yoyaku_test_capped';

/**
 * A database at its connection limit (or restarting) is busy, not broken: a request that cannot
 * get a connection answers a translated 503 "try again in a few seconds" with Retry-After, and
 * does nothing; once a connection is free, the same request works. On a real PostgreSQL role
 * with CONNECTION LIMIT 1, the limit a crowded server gives everyone ("too many connections").
 */
describe.skipIf(!databaseUrl)(`when PostgreSQL has no connection left${databaseUrl ? '' : ' (skipped: needs DATABASE_URL)'}`, () => {
  let db: Db;
  let capped: Db;
  let server: TestServer;
  let town: TestMunicipality;
  let cappedUrl: string;

  beforeAll(async () => {
    db = await testDatabase();
    // Roles belong to the whole cluster: another run may have made it (42710) at the same moment.
    await sql`do $$ begin create role ${sql.id(CAPPED_ROLE)} login connection limit 1;
        exception when duplicate_object then null; end $$`.execute(db);
    const database = decodeURIComponent(new URL(databaseUrl!).pathname.slice(1));
    await sql`grant create, connect on database ${sql.id(database)} to ${sql.id(CAPPED_ROLE)}`.execute(db);
    await sql`grant usage on schema ${sql.id(TEST_SCHEMA)} to ${sql.id(CAPPED_ROLE)}`.execute(db);
    await sql`grant select, insert, update, delete on all tables in schema ${sql.id(TEST_SCHEMA)} to ${sql.id(CAPPED_ROLE)}`.execute(db);
    await sql`grant usage, select on all sequences in schema ${sql.id(TEST_SCHEMA)} to ${sql.id(CAPPED_ROLE)}`.execute(db);
    const url = new URL(databaseUrl!);
    url.username = CAPPED_ROLE;
    url.password = '';
    cappedUrl = url.toString();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-capped-'));
    capped = await openDatabase({ url: cappedUrl, dataDir, schema: TEST_SCHEMA, poolMax: 1 });
    town = await createTestMunicipality(db, { residents: 2, capacity: 5 });
    server = await startTestServer(capped);
  });

  afterAll(async () => {
    await server?.close();
    await capped?.destroy();
  });

  it('answers a booking with a translated 503 and Retry-After, books nothing, and books once a connection is free', async () => {
    const book = () =>
      server.request('POST', '/api/v1/reservations', {
        session: server.sessionFor(town.residents[0]!.id, town.code),
        body: { slotId: town.slotIds[0] },
        headers: { 'accept-language': 'en' },
      });
    const holder = await takeTheOnlyConnection();
    let refused;
    try {
      refused = await book();
    } finally {
      await holder.end();
    }
    expect(refused.status, JSON.stringify(refused.body)).toBe(503);
    expect(refused.body).toMatchObject({ code: 'unavailable', reason: 'database-unavailable' });
    expect(refused.body.title).toBe('The service is busy. Try again in a moment.');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const mine = () => db.selectFrom('reservations').select('id').where('resident_id', '=', town.residents[0]!.id).execute();
    expect(await mine()).toEqual([]);

    const booked = await book();
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect(await mine()).toHaveLength(1);
  });

  /** Ends the server's idle connection and takes the role's one connection for the test. */
  async function takeTheOnlyConnection(): Promise<pg.Client> {
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where usename = ${CAPPED_ROLE}`.execute(db);
    for (let attempt = 0; ; attempt++) {
      const client = new pg.Client({ connectionString: cappedUrl });
      client.on('error', () => undefined);
      try {
        await client.connect();
        return client;
      } catch (error) {
        // The ended backend counts against the limit until it has exited: a moment.
        if (attempt > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }
});
