import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { startRoomServer, type RoomServer } from './waiting-room-support.js';

/** Headers that say when, not what: they differ between any two answers. */
const timeHeaders = new Set(['date', 'keep-alive', 'connection']);
const comparable = (headers: Headers) => Object.fromEntries([...headers].filter(([name]) => !timeHeaders.has(name)).sort());

describe('status polls answered before routing', () => {
  let db: Db;
  let m: TestMunicipality;
  let server: RoomServer;

  beforeAll(async () => {
    db = await testDatabase();
    m = await createTestMunicipality(db, { residents: 2, slots: 1, capacity: 5 });
    server = await startRoomServer(db);
    const b = server.browser();
    await b.call('POST', '/api/v1/waiting-room/join', {
      municipalityCode: m.code,
      voucherNumber: m.residents[0]!.voucherNumber,
      birthDate: m.residents[0]!.birthDate,
    });
    await server.room.service.tick();
  });
  afterAll(() => server.close());

  it('sends the same bytes and headers as the Fastify route, 200 and 304 alike', async () => {
    const path = `/api/v1/waiting-room/queues/${m.code}/status`;
    // A query string is not a plain poll: the route answers it, from the same document.
    const [fast, routed] = await Promise.all([fetch(server.url + path), fetch(`${server.url + path}?via=route`)]);
    expect(fast.status).toBe(200);
    expect(routed.status).toBe(200);
    expect(await fast.text()).toBe(await routed.text());
    expect(comparable(fast.headers)).toEqual(comparable(routed.headers));
    expect(fast.headers.get('content-security-policy')).toContain("default-src 'self'");

    const etag = fast.headers.get('etag')!;
    const [fast304, routed304] = await Promise.all([
      fetch(server.url + path, { headers: { 'if-none-match': etag } }),
      fetch(`${server.url + path}?via=route`, { headers: { 'if-none-match': etag } }),
    ]);
    expect(fast304.status).toBe(304);
    expect(routed304.status).toBe(304);
    expect(comparable(fast304.headers)).toEqual(comparable(routed304.headers));
  });

  it('answers a plain poll of a known queue itself, and nothing else', () => {
    const written: unknown[] = [];
    const response = { writeHead: (...args: unknown[]) => written.push(args), end: () => undefined };
    const poll = (method: string, url: string) =>
      server.room.statusFastPath({ method, url, headers: {}, socket: {} } as never, response as never);
    expect(poll('GET', `/api/v1/waiting-room/queues/${m.code}/status`)).toBe(true);
    expect(written).toHaveLength(1);
    expect(poll('GET', `/api/v1/waiting-room/queues/${m.code}/status?x=1`)).toBe(false);
    expect(poll('HEAD', `/api/v1/waiting-room/queues/${m.code}/status`)).toBe(false);
    expect(poll('GET', '/api/v1/waiting-room/queues/999999/status')).toBe(false);
    expect(poll('GET', `/api/v1/waiting-room/queues/${m.code}/../status`)).toBe(false);
  });

  it('leaves unknown queues, other methods and malformed ids to the route', async () => {
    const unknown = await fetch(`${server.url}/api/v1/waiting-room/queues/999999/status`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    const posted = await fetch(`${server.url}/api/v1/waiting-room/queues/${m.code}/status`, { method: 'POST' });
    expect(posted.status).toBe(404);
    const odd = await fetch(`${server.url}/api/v1/waiting-room/queues/${m.code}%2F/status`);
    expect(odd.status).toBe(404);
  });
});
