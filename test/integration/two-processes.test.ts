import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionCodec, SESSION_COOKIE } from '../../server/platform/session.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { serviceUrls, TEST_SCHEMA } from '../support/target.js';

const SECRET = 'two-processes-test-secret-long-enough-00';
const { databaseUrl, redisUrl } = serviceUrls();

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A real server process (server/main.ts) on PostgreSQL + Redis, as in production. */
async function startProcess(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-two-')),
      DATABASE_URL: databaseUrl!,
      // Few connections: the suite's files share one PostgreSQL (100 connections) and run two at a time.
      DATABASE_POOL_MAX: '5',
      DATABASE_SCHEMA: TEST_SCHEMA,
      REDIS_URL: redisUrl!,
      SESSION_SECRET: SECRET,
      DEMO: 'false',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) break;
    if (
      await fetch(`${url}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child, url };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server process did not start:\n${output}`);
}

/**
 * Two server processes booking the same slots at once: each groups its own hot-slot bookings,
 * and only the database's count decides. Needs PostgreSQL and Redis (the services run).
 */
describe.skipIf(!databaseUrl || !redisUrl)('two server processes on PostgreSQL + Redis', () => {
  const processes: { child: ChildProcess; url: string }[] = [];
  let town: TestMunicipality;

  beforeAll(async () => {
    const db = await testDatabase();
    town = await createTestMunicipality(db, { residents: 600, slots: 3, capacity: 25 });
    processes.push(...(await Promise.all([startProcess(), startProcess()])));
  }, 180_000);
  afterAll(() => {
    for (const p of processes) p.child.kill('SIGTERM');
  });

  it('600 residents booking three slots of 25 through both at once: exactly 75 places taken, 25 a slot', async () => {
    const codec = createSessionCodec(Buffer.from(SECRET), 3600);
    const results = await Promise.all(
      town.residents.map(async (resident, i) => {
        const session = codec.issue(resident.id, town.code, Date.now());
        const response = await fetch(`${processes[i % 2]!.url}/api/v1/reservations`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            cookie: `${SESSION_COOKIE}=${codec.encode(session)}`,
            'x-csrf-token': session.csrfToken,
          },
          // Most on one hot slot, the rest on the other two.
          body: JSON.stringify({ slotId: town.slotIds[i % 5 < 3 ? 0 : (i % 5) - 2] }),
        });
        return { status: response.status, body: (await response.json()) as { code?: string } };
      }),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(75);
    expect(results.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.code === 'slot-full')).toBe(true);
    const db = await testDatabase();
    const slots = await db.selectFrom('slots').select(['id', 'taken']).where('id', 'in', town.slotIds).execute();
    expect(slots.map((s) => s.taken)).toEqual([25, 25, 25]);
    for (const slot of slots) {
      const booked = await db
        .selectFrom('reservations')
        .select('id')
        .where('slot_id', '=', slot.id)
        .where('status', '=', 'booked')
        .execute();
      expect(booked).toHaveLength(25);
    }
  }, 120_000);
});
