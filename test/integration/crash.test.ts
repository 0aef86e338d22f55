import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSessionCodec, SESSION_COOKIE } from '../../server/platform/session.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, slotCountsMismatches } from '../support/fixtures.js';
import { serviceUrls, TEST_SCHEMA } from '../support/target.js';

const SECRET = 'crash-test-secret-that-is-long-enough-000';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The real server as its own process (node with the tsx loader), so SIGKILL really kills it. */
async function startServerProcess(port: number, databaseUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-crash-')),
      DATABASE_URL: databaseUrl,
      // Few connections: the suite's files share one PostgreSQL (100 connections) and run two at a time.
      DATABASE_POOL_MAX: '5',
      DATABASE_SCHEMA: TEST_SCHEMA,
      SESSION_SECRET: SECRET,
      DEMO: 'false',
      LOG_LEVEL: 'silent',
    },
    stdio: 'ignore',
  });
  for (let i = 0; i < 200; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not start');
}

const { databaseUrl } = serviceUrls();

describe.runIf(databaseUrl)('a crash in the middle of a booking storm (PostgreSQL)', () => {
  it('loses no acknowledged booking and leaves every slot count equal to its reservations', async () => {
    const db = await testDatabase();
    const town = await createTestMunicipality(db, { residents: 600, times: ['09:00', '10:00', '11:00', '12:00', '13:00'], capacity: 60 });
    const codec = createSessionCodec(Buffer.from(SECRET), 3600);
    const port = await freePort();
    let server = await startServerProcess(port, databaseUrl!);
    const acknowledged: string[] = [];
    let next = 0;
    let killed = false;
    let cutByCrash = 0;

    const book = async () => {
      while (next < town.residents.length) {
        const resident = town.residents[next++]!;
        const session = codec.issue(resident.id, town.code, Date.now());
        try {
          const response = await fetch(`http://127.0.0.1:${port}/api/v1/reservations`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              cookie: `${SESSION_COOKIE}=${codec.encode(session)}`,
              'x-csrf-token': session.csrfToken,
            },
            body: JSON.stringify({ slotId: town.slotIds[next % town.slotIds.length] }),
          });
          if (response.status === 201) acknowledged.push(((await response.json()) as { number: string }).number);
        } catch {
          // Connection cut by the crash: never acknowledged, so it may or may not exist.
          if (killed) {
            cutByCrash++;
            return;
          }
        }
      }
    };
    const storm = Promise.all(Array.from({ length: 32 }, book));
    while (acknowledged.length < 100) await new Promise((resolve) => setTimeout(resolve, 5));
    killed = true;
    server.kill('SIGKILL');
    await storm;
    const acknowledgedBeforeCrash = acknowledged.length;
    expect(acknowledgedBeforeCrash).toBeGreaterThanOrEqual(100);
    expect(cutByCrash).toBeGreaterThan(0); // the kill really landed mid-storm

    server = await startServerProcess(port, databaseUrl!);
    try {
      const found = await db.selectFrom('reservations').select(['number', 'status']).where('number', 'in', acknowledged).execute();
      expect(found).toHaveLength(acknowledged.length);
      expect(found.every((r) => r.status === 'booked')).toBe(true);
      expect(await slotCountsMismatches(db, town.slotIds)).toEqual([]);
      // And the restarted server books again.
      killed = false;
      next = Math.max(next, acknowledgedBeforeCrash + 50);
      const before = acknowledged.length;
      await Promise.all(Array.from({ length: 4 }, book));
      expect(acknowledged.length).toBeGreaterThan(before);
      expect(await slotCountsMismatches(db, town.slotIds)).toEqual([]);
    } finally {
      server.kill('SIGKILL');
    }
  });
});
