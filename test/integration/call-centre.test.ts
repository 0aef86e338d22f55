import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, slotCountsMismatches, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { pdfPages } from '../support/pdf-text.js';
import { staffCall, staffTeam, type StaffSession } from '../support/staff.js';

/**
 * The call centre through HTTP: an operator finds a caller by kana and birth date as callers say
 * them (or voucher, reservation number, phone), confirms who they are, books, changes and cancels
 * with the web's rules, is warned before booking someone twice, keeps notes; every search, view
 * and change leaves one audit row; nobody of another municipality is ever found; the residents'
 * lock-outs do not shut the console out, and operators have limits of their own.
 */
let db: Db;
let server: TestServer;
let a: TestMunicipality;
let b: TestMunicipality;
let operator: { session: StaffSession; accountId: number };
let colleague: { session: StaffSession; accountId: number };
let admin: StaffSession;
let team: Awaited<ReturnType<typeof staffTeam>>;

const people = [
  { nameKana: 'サトウ ハナコ', birthDate: '1950-04-01' },
  { nameKana: 'サトウ タロウ', birthDate: '1950-04-01' },
  { nameKana: 'ジョウ キョウコ', birthDate: '1962-08-15' },
  { nameKana: 'オオノ ケイコ', birthDate: '1975-03-03' },
  { nameKana: 'サイトウ ハナコ', birthDate: '1950-04-01' },
  { nameKana: 'スズキ イチロウ', birthDate: '1980-01-01' },
];

beforeAll(async () => {
  db = await testDatabase();
  [a, b] = await Promise.all([
    createTestMunicipality(db, { residents: people, slots: 3, capacity: 5 }),
    createTestMunicipality(db, { residents: [{ nameKana: 'サトウ ハナコ', birthDate: '1950-04-01' }] }),
  ]);
  await db
    .updateTable('residents')
    .set({ phone: '+819012345678', address: '東京都千代田区1-1' })
    .where('id', '=', a.residents[3]!.id)
    .execute();
  await db.updateTable('residents').set({ address: '東京都千代田区2-2' }).where('id', '=', a.residents[0]!.id).execute();
  await db.insertInto('family_links').values({ account_id: a.residents[0]!.id, member_id: a.residents[5]!.id }).execute();
  server = await startTestServer(db, { redisPrefix: 'call-centre' });
  team = await staffTeam(server, db);
  const op = await team.member(a.code, ['operator']);
  const other = await team.member(a.code, ['operator']);
  operator = { session: op.session, accountId: op.user.accountId };
  colleague = { session: other.session, accountId: other.user.accountId };
  admin = (await team.member(a.code, ['administrator'])).session;
});
afterAll(() => server?.close());

const base = (code = a.code) => `/api/v1/staff/municipalities/${code}/call-centre`;
const find = (query: Record<string, string>, session = operator.session, code = a.code) =>
  staffCall(server, 'GET', `${base(code)}/callers?${new URLSearchParams(query)}`, { session, headers: { 'accept-language': 'en' } });
const idsOf = (answer: { body: { results: { residentId: number }[] } }) => answer.body.results.map((r) => r.residentId).sort();
const resident = (i: number) => a.residents[i]!.id;

async function auditOf(accountId: number, action: string) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('actor_kind', '=', 'staff')
    .where('actor_id', '=', String(accountId))
    .where('action', '=', action)
    .orderBy('id')
    .execute();
}

describe('finding the caller', () => {
  it('by kana however it is typed, with the birth date as the caller says it', async () => {
    const cases: [Record<string, string>, number[]][] = [
      [{ kana: 'さとー はなこ', birthDate: '昭和25年4月1日' }, [resident(0)]],
      [{ kana: 'ｻﾄｳﾊﾅｺ', birthDate: 'S25.4.1' }, [resident(0)]],
      [{ kana: 'はなこ', birthDate: '1950/4/1' }, [resident(0), resident(4)]],
      [{ kana: 'じよー きよこ', birthDate: 'S37.8.15' }, [resident(2)]],
      [{ kana: 'おーの けーこ', birthDate: '1975-03-03' }, [resident(3)]],
      [{ birthDate: '昭和２５年４月１日' }, [resident(0), resident(1), resident(4)]],
    ];
    for (const [query, expected] of cases) {
      const answer = await find(query);
      expect(answer.status, JSON.stringify(query) + answer.text).toBe(200);
      expect(idsOf(answer), JSON.stringify(query)).toEqual(expected.sort());
      expect(answer.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('by the start of the name alone, and answers minimally', async () => {
    const answer = await find({ kana: 'サトウ' });
    expect(idsOf(answer)).toEqual([resident(0), resident(1)].sort());
    expect(answer.body.results[0]).toEqual({ residentId: expect.any(Number), nameKana: expect.any(String), birthDate: '1950-04-01' });
    expect(answer.body.more).toBe(false);
  });

  it('by voucher number, or by phone in any spelling', async () => {
    expect(idsOf(await find({ voucherNumber: a.residents[3]!.voucherNumber }))).toEqual([resident(3)]);
    expect(idsOf(await find({ voucherNumber: a.residents[3]!.voucherNumber, kana: 'オオノ' }))).toEqual([resident(3)]);
    expect(idsOf(await find({ voucherNumber: a.residents[3]!.voucherNumber, kana: 'サトウ' }))).toEqual([]);
    expect(idsOf(await find({ phone: '090-1234-5678' }))).toEqual([resident(3)]);
    expect(idsOf(await find({ phone: '+81 90 1234 5678' }))).toEqual([resident(3)]);
  });

  it('refuses what cannot be a search, saying which field', async () => {
    const refused: [Record<string, string>, string][] = [
      [{}, 'kana'],
      [{ kana: 'サ' }, 'kana'],
      [{ kana: 'Sato' }, 'kana'],
      [{ kana: 'サトウ', birthDate: '昭和65年1月1日' }, 'birthDate'],
      [{ voucherNumber: '12' }, 'voucherNumber'],
      [{ phone: '12' }, 'phone'],
      [{ reservationNumber: 'ABCD-EFG1' }, 'reservationNumber'],
      [{ reservationNumber: '2345-6789', kana: 'サトウ' }, 'reservationNumber'],
    ];
    for (const [query, field] of refused) {
      const answer = await find(query);
      expect(answer.status, JSON.stringify(query)).toBe(400);
      expect(
        answer.body.errors.map((e: { field: string }) => e.field),
        JSON.stringify(query),
      ).toContain(field);
    }
  });

  it('never finds anybody of another municipality', async () => {
    expect(idsOf(await find({ kana: 'サトウ ハナコ', birthDate: 'S25.4.1' }))).toEqual([resident(0)]);
    expect(idsOf(await find({ voucherNumber: b.residents[0]!.voucherNumber }))).not.toContain(b.residents[0]!.id);
    const theirs = await staffCall(server, 'GET', `${base()}/residents/${b.residents[0]!.id}`, { session: operator.session });
    expect(theirs.status).toBe(404);
    expect(theirs.body.code).toBe('resident-not-found');
    const elsewhere = await find({ kana: 'サトウ' }, operator.session, b.code);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.code).toBe('municipality-not-found');
  });

  it('audits every search: one row each, with what was searched by and who was found, never what was typed', async () => {
    const before = (await auditOf(operator.accountId, 'call-centre.search')).length;
    await find({ kana: 'さとう はなこ', birthDate: 'S25.4.1' });
    await find({ kana: 'ノーバディ' });
    const rows = (await auditOf(operator.accountId, 'call-centre.search')).slice(before);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ municipality_code: a.code, subject_resident_id: null, ip: '127.0.0.1' });
    expect(rows[0]!.detail).toEqual({ by: ['birthDate', 'kana'], found: 1, more: false, residentIds: [resident(0)] });
    expect(rows[1]!.detail).toMatchObject({ found: 0, residentIds: [] });
    expect(JSON.stringify(rows)).not.toMatch(/さとう|サト|S25/);
  });
});

describe('confirming who was found', () => {
  it('shows name, kana, birth date and address, the family, and audits the view', async () => {
    const before = (await auditOf(operator.accountId, 'call-centre.view')).length;
    const answer = await staffCall(server, 'GET', `${base()}/residents/${resident(0)}`, { session: operator.session });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.person).toMatchObject({
      residentId: resident(0),
      nameKana: 'サトウ ハナコ',
      birthDate: '1950-04-01',
      address: '東京都千代田区2-2',
    });
    expect(answer.body.family.map((f: { residentId: number }) => f.residentId)).toEqual([resident(5)]);
    const rows = (await auditOf(operator.accountId, 'call-centre.view')).slice(before);
    expect(rows.map((r) => r.subject_resident_id)).toEqual([resident(0)]);
  });
});

describe('booking for the caller', () => {
  let number: string;

  it('books with the web’s rules, recorded as made by the operator, with the number to read back', async () => {
    const answer = await staffCall(server, 'POST', `${base()}/reservations`, {
      session: operator.session,
      body: { residentId: resident(5), slotId: a.slotIds[0] },
    });
    expect(answer.status, answer.text).toBe(201);
    number = answer.body.number;
    expect(answer.body).toMatchObject({ residentId: resident(5), madeBy: 'operator', dose: 1, status: 'booked' });
    expect(answer.body.readBack.map((p: { character: string }) => p.character).join('')).toBe(`${number.slice(0, 4)}-${number.slice(4)}`);
    const row = await db.selectFrom('reservations').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ made_by_kind: 'operator', made_by_staff_account_id: operator.accountId, made_by_resident_id: null });
    const audit = await auditOf(operator.accountId, 'call-centre.book');
    expect(audit.at(-1)).toMatchObject({ subject_resident_id: resident(5), detail: { numbers: [number], slotId: a.slotIds[0], dose: 1 } });
  });

  it('finds the caller by that reservation number, and shows it on the family’s screen', async () => {
    expect(idsOf(await find({ reservationNumber: `${number.slice(0, 4)}-${number.slice(4)}`.toLowerCase() }))).toEqual([resident(5)]);
    const family = await staffCall(server, 'GET', `${base()}/residents/${resident(0)}`, { session: operator.session });
    expect(family.body.reservations.map((r: { number: string }) => r.number)).toEqual([number]);
  });

  it('warns before booking someone who holds a booking, and then applies the dose rules', async () => {
    const warned = await staffCall(server, 'POST', `${base()}/reservations`, {
      session: operator.session,
      body: { residentId: resident(5), slotId: a.slotIds[1] },
    });
    expect(warned.status).toBe(409);
    expect(warned.body.code).toBe('existing-booking');
    expect(warned.body.existing).toEqual([expect.objectContaining({ number, dose: 1 })]);
    const again = await staffCall(server, 'POST', `${base()}/reservations`, {
      session: operator.session,
      body: { residentId: resident(5), slotId: a.slotIds[1], acknowledgeExisting: true },
    });
    // Dose 2 the next day: the web would refuse it, and so does the console.
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('interval-too-short');
  });

  it('changes and cancels, each audited, the slot counts equal to their reservations', async () => {
    const moved = await staffCall(server, 'POST', `${base()}/reservations/${number}/change`, {
      session: operator.session,
      body: { slotId: a.slotIds[2] },
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.slot.id).toBe(a.slotIds[2]);
    const cancelled = await staffCall(server, 'POST', `${base()}/reservations/${number}/cancel`, { session: operator.session });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await auditOf(operator.accountId, 'call-centre.change')).at(-1)?.detail).toEqual({ number, slotId: a.slotIds[2] });
    expect((await auditOf(operator.accountId, 'call-centre.cancel')).at(-1)).toMatchObject({ subject_resident_id: resident(5) });
    expect(await slotCountsMismatches(db, a.slotIds)).toEqual([]);
  });

  it('cannot touch a reservation of another municipality', async () => {
    const theirs = await createTestMunicipality(db, { residents: 1 });
    const booked = await server.app.reservations.book(
      { kind: 'staff', userId: 'test', municipalityCode: theirs.code },
      { residentId: theirs.residents[0]!.id, slotId: theirs.slotIds[0]! },
    );
    const answer = await staffCall(server, 'POST', `${base()}/reservations/${booked.number}/cancel`, { session: operator.session });
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('reservation-not-found');
    const stillBooked = await db.selectFrom('reservations').select('status').where('number', '=', booked.number).executeTakeFirstOrThrow();
    expect(stillBooked.status).toBe('booked');
  });
});

describe('operators are not residents', () => {
  it('a voucher locked by wrong birth dates on the web does not lock the console out', async () => {
    const locked = a.residents[3]!;
    for (let i = 0; i < 5; i++) {
      const wrong = await server.request('POST', '/api/v1/auth/voucher', {
        body: { municipalityCode: a.code, voucherNumber: locked.voucherNumber, birthDate: '1999-12-31' },
      });
      expect(wrong.status).toBe(401);
    }
    const shut = await server.request('POST', '/api/v1/auth/voucher', {
      body: { municipalityCode: a.code, voucherNumber: locked.voucherNumber, birthDate: locked.birthDate },
    });
    expect(shut.status).toBe(429);
    expect(idsOf(await find({ voucherNumber: locked.voucherNumber }))).toEqual([locked.id]);
    const booked = await staffCall(server, 'POST', `${base()}/reservations`, {
      session: operator.session,
      body: { residentId: locked.id, slotId: a.slotIds[0] },
    });
    expect(booked.status, booked.text).toBe(201);
  });

  it('have a limit of their own per account: of 50 searches at once, exactly the limit are answered and audited', async () => {
    const limited = await startTestServer(db, { redisPrefix: 'call-centre-limit', env: { LIMIT_OPERATOR_LOOKUPS_PER_ACCOUNT: '10' } });
    try {
      const town = await createTestMunicipality(db, { residents: 1 });
      const crew = await staffTeam(limited, db);
      const busy = await crew.member(town.code, ['operator']);
      const answers = await Promise.all(
        Array.from({ length: 50 }, () =>
          staffCall(limited, 'GET', `/api/v1/staff/municipalities/${town.code}/call-centre/callers?kana=シケン`, { session: busy.session }),
        ),
      );
      const statuses = answers.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(40);
      expect(answers.find((r) => r.status === 429)?.body.code).toBe('rate-limited');
      expect(await auditOf(busy.user.accountId, 'call-centre.search')).toHaveLength(10);
      // Another operator of the same centre is not held up by a colleague's count.
      const next = await crew.member(town.code, ['operator']);
      const theirs = await staffCall(limited, 'GET', `/api/v1/staff/municipalities/${town.code}/call-centre/callers?kana=シケン`, {
        session: next.session,
      });
      expect(theirs.status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('call notes', () => {
  it('are kept on the person’s record, seen by other operators with who and when, and audited', async () => {
    const added = await staffCall(server, 'POST', `${base()}/residents/${resident(0)}/notes`, {
      session: operator.session,
      body: { body: '娘さんが代理で電話。次回は午前希望。' },
    });
    expect(added.status, added.text).toBe(201);
    const seen = await staffCall(server, 'GET', `${base()}/residents/${resident(0)}`, { session: colleague.session });
    expect(seen.body.notes[0]).toMatchObject({
      body: '娘さんが代理で電話。次回は午前希望。',
      by: { accountId: operator.accountId, name: expect.any(String) },
      at: expect.any(String),
    });
    expect((await auditOf(operator.accountId, 'call-centre.note')).at(-1)).toMatchObject({
      subject_resident_id: resident(0),
      detail: { noteId: added.body.id },
    });
  });

  it('cannot be put on a resident of another municipality', async () => {
    const answer = await staffCall(server, 'POST', `${base()}/residents/${b.residents[0]!.id}/notes`, {
      session: operator.session,
      body: { body: 'x' },
    });
    expect(answer.status).toBe(404);
    expect(await db.selectFrom('call_notes').select('id').where('resident_id', '=', b.residents[0]!.id).execute()).toEqual([]);
  });
});

describe('script lines', () => {
  it('start as the defaults, are set by administrators only, and are audited', async () => {
    const defaults = await staffCall(server, 'GET', `${base()}/scripts`, { session: operator.session });
    expect(defaults.status).toBe(200);
    expect(defaults.body.identify.ja.length).toBeGreaterThan(0);
    const lines = { ...defaults.body, close: { ja: ['テスト市予約センターでした。'], en: ['This was the Test City booking centre.'] } };
    const refused = await staffCall(server, 'PUT', `${base()}/scripts`, { session: operator.session, body: lines });
    expect(refused.status).toBe(403);
    const set = await staffCall(server, 'PUT', `${base()}/scripts`, { session: admin, body: lines });
    expect(set.status, set.text).toBe(200);
    const read = await staffCall(server, 'GET', `${base()}/scripts`, { session: operator.session });
    expect(read.body.close.ja).toEqual(['テスト市予約センターでした。']);
    const rows = await db
      .selectFrom('audit_log')
      .select('action')
      .where('municipality_code', '=', a.code)
      .where('action', '=', 'call-centre.scripts-update')
      .execute();
    expect(rows).toHaveLength(1);
  });
});

describe('the confirmation postcard', () => {
  async function pdfOf(url: string, session = operator.session) {
    const response = await fetch(server.url + url, { headers: { cookie: session.cookie } });
    return { status: response.status, type: response.headers.get('content-type'), bytes: new Uint8Array(await response.arrayBuffer()) };
  }

  it('is a PDF of a 100 × 148 mm card whose text holds the number, the name, the venue and the date, in Japanese or English', async () => {
    await db.updateTable('residents').set({ address: '〒100-0001 東京都千代田区千代田1-1' }).where('id', '=', resident(1)).execute();
    const booked = await staffCall(server, 'POST', `${base()}/reservations`, {
      session: operator.session,
      body: { residentId: resident(1), slotId: a.slotIds[1] },
    });
    expect(booked.status, booked.text).toBe(201);
    const number: string = booked.body.number;
    const formatted = `${number.slice(0, 4)}-${number.slice(4)}`;
    const ja = await pdfOf(`${base()}/reservations/${formatted}/postcard`);
    expect(ja.status).toBe(200);
    expect(ja.type).toBe('application/pdf');
    expect(Buffer.from(ja.bytes.slice(0, 5)).toString()).toBe('%PDF-');
    // 100 × 148 mm in points, on both pages.
    expect(Buffer.from(ja.bytes).toString('latin1')).toMatch(/\/MediaBox \[0 0 283\.46\d* 419\.52\d*\]/);
    const [addressSide, messageSide] = await pdfPages(ja.bytes);
    expect(addressSide!.replace(/\s/g, '')).toContain('1000001東京都千代田区千代田1-1');
    expect(addressSide).toContain('東京都千代田区千代田1-1');
    expect(addressSide).toContain('試験 1');
    expect(messageSide).toContain('予約登録済書');
    // pdftotext puts a space between two letters the font's kerning set apart (R V): the number is
    // looked for without spaces.
    expect(messageSide!.replace(/\s/g, '')).toContain(formatted);
    expect(messageSide).toContain('テスト会場');
    const day = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', month: 'long', day: 'numeric' }).format(
      new Date(booked.body.slot.startsAt),
    );
    expect(messageSide).toContain(day);
    const en = await pdfOf(`${base()}/reservations/${number}/postcard?language=en`);
    const [, english] = await pdfPages(en.bytes);
    expect(english).toContain('Booking confirmation');
    expect(english!.replace(/\s/g, '')).toContain(formatted);
    expect(english).toContain('Test venue');
    const audit = (await auditOf(operator.accountId, 'call-centre.postcard')).slice(-2);
    expect(audit.map((r) => r.detail)).toEqual([
      { number, language: 'ja' },
      { number, language: 'en' },
    ]);
  });

  it('comes as one PDF for all of a day’s phone bookings, two pages a card', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date());
    const another = await staffCall(server, 'POST', `${base()}/reservations`, {
      session: operator.session,
      body: { residentId: resident(2), slotId: a.slotIds[2] },
    });
    expect(another.status, another.text).toBe(201);
    const made = await db
      .selectFrom('reservations')
      .innerJoin('residents', 'residents.id', 'reservations.resident_id')
      .select('reservations.number')
      .where('residents.municipality_code', '=', a.code)
      .where('reservations.made_by_kind', '=', 'operator')
      .where('reservations.status', '=', 'booked')
      .execute();
    expect(made.length).toBeGreaterThanOrEqual(2);
    const batch = await pdfOf(`${base()}/postcards?madeOn=${today}`);
    expect(batch.status).toBe(200);
    const pages = await pdfPages(batch.bytes);
    expect(pages).toHaveLength(made.length * 2);
    const text = pages.join('').replace(/\s/g, '');
    for (const { number } of made) expect(text).toContain(`${number.slice(0, 4)}-${number.slice(4)}`);
  });

  it('is not found for a booking of another municipality', async () => {
    const theirs = await createTestMunicipality(db, { residents: 1 });
    const booked = await server.app.reservations.book(
      { kind: 'staff', userId: 'test', municipalityCode: theirs.code },
      { residentId: theirs.residents[0]!.id, slotId: theirs.slotIds[0]! },
    );
    expect((await pdfOf(`${base()}/reservations/${booked.number}/postcard`)).status).toBe(404);
  });
});
