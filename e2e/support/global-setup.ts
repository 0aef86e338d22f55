import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { addDays, localDate, zonedTimeToUtc } from '../../shared/dates.js';
import { openDatabase, type Db } from '../../server/db/database.js';
import { insertResidents, insertSlots, insertVenue } from '../../server/demo/seed.js';
import { createAuditLog } from '../../server/modules/audit/index.js';
import { defaultPolicy, defaultVaccines, generateReservationNumber } from '../../server/modules/reservations/index.js';
import { normaliseKana } from '../../server/modules/residents/index.js';
import { createAdminAccounts } from '../../server/modules/staff/index.js';
import { systemClock } from '../../server/platform/clock.js';
import type { ScheduleTemplate } from '../../server/modules/venues/index.js';
import { createTestMunicipality } from '../../test/support/fixtures.js';
import { staffTeam } from '../../test/support/staff.js';
import { latestCode } from '../../test/support/server.js';
import { CHECK_IN_RUNS, RESIDENT_COUNT, RESIDENTS, STAFF_LINK_COUNT, type E2eCheckIn, type E2eEnv, type E2eSecondVenue } from './env.js';
import { startWebServer } from './server.js';

export const WEB_ROOT = path.resolve('dist/web');

/**
 * Once per run of the e2e project: build the web app (so a fresh clone needs nothing else), open
 * an embedded database (PGlite) with its own municipality, venue, slots and residents, and start
 * the real server on a free loopback port. The browser tests run in other processes; they read
 * the addresses from the file named by `inject('e2eEnvFile')` (e2eEnv() in env.ts) and the
 * database through a small read-only probe.
 *
 * Vitest runs every project's global setup before any test, and this one takes half a minute:
 * so it returns at once and prepares in the background, while the unit and integration tests
 * run (the browser tests come after them, sequence.groupOrder). The file appears when it is done,
 * with the environment or the error; e2eEnv() waits for it, so a run of the browser tests alone
 * works too.
 */
export default function setup(project: TestProject) {
  const envFile = path.join(os.tmpdir(), `yoyaku-e2e-env-${randomUUID()}.json`);
  project.provide('e2eEnvFile', envFile);
  const written = (content: unknown) => {
    fs.writeFileSync(`${envFile}.part`, JSON.stringify(content));
    fs.renameSync(`${envFile}.part`, envFile);
  };
  const preparing = prepare().then(
    (prepared) => {
      written(prepared.env);
      return prepared.close;
    },
    (error: unknown) => {
      console.error('The e2e global setup failed:', error);
      written({ setupError: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      return undefined;
    },
  );
  return async () => {
    const close = await preparing;
    await close?.();
    fs.rmSync(envFile, { force: true });
  };
}

async function prepare(): Promise<{ env: E2eEnv; close: () => Promise<void> }> {
  // Vite takes NODE_ENV from the environment, and Vitest sets it to "test": that would ship
  // React's development build (twice the size, every effect run twice). Build what users get.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.resolve('vite.config.ts'), mode: 'production', logLevel: 'warn' });
    // The staff app after the residents' (whose build empties dist/web), into dist/web/admin.
    await build({ configFile: path.resolve('vite.admin.config.ts'), mode: 'production', logLevel: 'warn' });
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
      birthDate: `${i < 18 ? 1950 + i : 1925 + i}-${String((i % 12) + 1).padStart(2, '0')}-${String(10 + (i % 18)).padStart(2, '0')}`,
    })),
  });
  // Everything below is added after what the journeys use (the first venue, its slots, the
  // residents above), so "the first venue" and day indexes in its calendar stay what they were.
  const callCentrePhone = '0120-000-000';
  await db.updateTable('municipalities').set({ call_centre_phone: callCentrePhone }).where('code', '=', municipality.code).execute();
  const second = await addSecondVenue(db, municipality.code, municipality.timeZone);
  // One slot three weeks out at the first venue, for a dose 2 booked on dose 1's interval (after
  // every other day of its calendar, so day indexes stay put).
  const [dose2SlotId] = await insertSlots(db, municipality.venueId, {
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    durationMinutes: 30,
    capacity: 50,
    opensDaysBefore: 400,
    opensAtTime: '00:00',
    closesDaysBefore: 0,
    closesAtTime: '00:00',
    timeZone: municipality.timeZone,
    from: addDays(localDate(new Date(), municipality.timeZone), 22),
    to: addDays(localDate(new Date(), municipality.timeZone), 22),
    times: ['10:00'],
  });
  const togetherDate = addDays(localDate(new Date(), municipality.timeZone), 23);
  const [togetherSlotId] = await insertSlots(db, municipality.venueId, {
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    durationMinutes: 30,
    capacity: 2,
    opensDaysBefore: 400,
    opensAtTime: '00:00',
    closesDaysBefore: 0,
    closesAtTime: '00:00',
    timeZone: municipality.timeZone,
    from: togetherDate,
    to: togetherDate,
    times: ['11:00'],
  });
  // Staff gave the first venue's name in Simplified Chinese only: other languages fall back (issue 13 §3).
  await db
    .updateTable('venues')
    .set({ texts: JSON.stringify({ 'zh-Hans': { name: '测试接种会场' } }) })
    .where('id', '=', municipality.venueId)
    .execute();
  const checkIn = await addCheckInTown(db);
  const server = await startWebServer(db, WEB_ROOT);
  // The × day and the △ day are filled by real bookings through the API, so every slot's count
  // is its active reservations (the invariant other tests check), not a number written by hand.
  for (const booking of second.bookings)
    await bookThroughHttp(server.url, server.dataDir, municipality.code, booking.resident, booking.slotId);

  // Messages of the month for the staff's cost page: SMS and e-mails sent, and one that failed
  // for good with the provider's reason (no provider here ever refuses one).
  await seedMessages(db, municipality.code);

  // What `npm run create-admin` does, once per staff journey: a super-administrator and their
  // one-time enrolment link (the script itself cannot open this process's embedded database).
  const admins = createAdminAccounts({ db, clock: systemClock, publicUrl: server.url, audit: createAuditLog(db) });
  const staffLinks: string[] = [];
  for (let i = 0; i < STAFF_LINK_COUNT; i++) staffLinks.push((await admins.createAdmin(`root.${i}.${Date.now()}@example.org`)).link.url);
  // Two operators of the municipality, enrolled through the API as the tests' own staff are; the
  // call-centre journey signs them in on the page with their password and authenticator code.
  const team = await staffTeam(server, db);
  const operators = {
    ja: (await team.member(municipality.code, ['operator'], 'operator-ja')).user,
    en: (await team.member(municipality.code, ['operator'], 'operator-en')).user,
  };
  // The call centre's callers have names an operator can search by kana, and an address for the postcard.
  const callers = [
    { i: RESIDENTS.callCentre.ja, kanji: '田中 花子', kana: 'タナカ ハナコ', address: '〒100-0001 東京都千代田区千代田1-1' },
    { i: RESIDENTS.callCentre.en, kanji: '鈴木 一郎', kana: 'スズキ イチロウ', address: '〒102-0072 東京都千代田区飯田橋2-2' },
  ];
  for (const caller of callers) {
    await db
      .updateTable('residents')
      .set({ name_kanji: caller.kanji, name_kana: caller.kana, name_kana_key: normaliseKana(caller.kana), address: caller.address })
      .where('id', '=', municipality.residents[caller.i]!.id)
      .execute();
  }
  // The first venue's last slot keeps 3 places for the telephone (what the operator's console shows beside each time).
  const phoneSlotId = municipality.slotIds.at(-1)!;
  await db.updateTable('slots').set({ phone_places: 3, phone_release_at: null }).where('id', '=', phoneSlotId).execute();

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
    dose2SlotId: dose2SlotId!,
    togetherSlot: { id: togetherSlotId!, date: togetherDate },
    callCentrePhone,
    secondVenue: second.venue,
    staffLinks,
    operators,
    phoneSlotId,
    checkIn,
    residents: await Promise.all(
      municipality.residents.map(async (r) => {
        const { name_kanji } = await db.selectFrom('residents').select('name_kanji').where('id', '=', r.id).executeTakeFirstOrThrow();
        return { ...r, nameKanji: name_kanji };
      }),
    ),
  };
  return {
    env,
    async close() {
      await new Promise((resolve) => probe.close(resolve));
      await server.close();
      await db.destroy();
      fs.rmSync(dbDir, { recursive: true, force: true });
    },
  };
}

/**
 * Check-in's own town: a slot today at 10:00 with one booking per run (made in the database, as the
 * booking window of a slot of today is closed), and one 22 days out for their dose 2.
 */
async function addCheckInTown(db: Db): Promise<E2eCheckIn> {
  const town = await createTestMunicipality(db, {
    slots: 0,
    residents: CHECK_IN_RUNS.map((_, i) => ({ birthDate: `1955-0${i + 1}-15`, nameKana: `ウケツケ ${i}` })),
  });
  const today = localDate(new Date(), town.timeZone);
  const slot = await db
    .insertInto('slots')
    .values({
      venue_id: town.venueId,
      starts_at: zonedTimeToUtc(today, '10:00', town.timeZone),
      duration_minutes: 30,
      capacity: 20,
      opens_at: zonedTimeToUtc(addDays(today, -14), '09:00', town.timeZone),
      closes_at: zonedTimeToUtc(today, '00:00', town.timeZone),
      taken: CHECK_IN_RUNS.length,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const [dose2SlotId] = await insertSlots(db, town.venueId, {
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    durationMinutes: 30,
    capacity: 20,
    opensDaysBefore: 400,
    opensAtTime: '00:00',
    closesDaysBefore: 0,
    closesAtTime: '00:00',
    timeZone: town.timeZone,
    from: addDays(today, 22),
    to: addDays(today, 22),
    times: ['10:00'],
  });
  const people: E2eCheckIn['people'] = {};
  for (const [i, run] of CHECK_IN_RUNS.entries()) {
    const resident = town.residents[i]!;
    const nameKanji = `受付 ${['一郎', '二郎', '花子', '桜子'][i]}`;
    await db.updateTable('residents').set({ name_kanji: nameKanji }).where('id', '=', resident.id).execute();
    const number = generateReservationNumber();
    const row = await db
      .insertInto('reservations')
      .values({
        number,
        resident_id: resident.id,
        slot_id: slot.id,
        dose_number: 1,
        vaccine: town.vaccine,
        status: 'booked',
        made_by_kind: 'self',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('reservation_events')
      .values({ reservation_id: row.id, kind: 'booked', to_slot_id: slot.id, actor_kind: 'self' })
      .execute();
    people[run] = { ...resident, nameKanji, number };
  }
  return { municipalityCode: town.code, venueId: town.venueId, venueNameJa: 'テスト会場', dose2SlotId: dose2SlotId!, people };
}

/** Places per slot at the second venue: 4 left is ○, 3 left is △ (≤ fewLeftAbsolute), 0 is ×. */
const SECOND_VENUE_CAPACITY = 4;

/**
 * A small clinic with another vaccine, access notes and a map link, whose calendar shows all three
 * marks: tomorrow ○ (10:00 and 14:00 untouched), the day after △ (10:00 with one place taken,
 * 14:00 not open for booking until 09:00 that day), and the day after that × (10:00 fully booked).
 * The map address is a reserved example domain: no test follows it.
 */
async function addSecondVenue(db: Db, municipalityCode: string, timeZone: string) {
  const vaccine = 'moderna';
  const rule = defaultVaccines[vaccine]!;
  const facts = {
    nameJa: 'テスト診療所',
    nameEn: 'Test clinic',
    address: '東京都テスト市本町2-3-4',
    accessNotes: 'テスト駅 東口 徒歩3分 / 3 min from Test Stn east exit',
    mapUrl: 'https://map.example/test-clinic',
  };
  const id = await insertVenue(db, { municipalityCode, vaccine, ...facts });
  const today = localDate(new Date(), timeZone);
  const [freeDate, fewDate, fullDate] = [addDays(today, 1), addDays(today, 2), addDays(today, 3)];
  const open: Omit<ScheduleTemplate, 'from' | 'to' | 'times'> = {
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    durationMinutes: 30,
    capacity: SECOND_VENUE_CAPACITY,
    opensDaysBefore: 400,
    opensAtTime: '00:00',
    // Early on their own day, as the first venue's (test/support/fixtures.ts): a run across midnight in Tokyo keeps them.
    closesDaysBefore: 0,
    closesAtTime: '09:00',
    timeZone,
  };
  const freeSlotIds = await insertSlots(db, id, { ...open, from: freeDate, to: freeDate, times: ['10:00', '14:00'] });
  const [fewSlotId] = await insertSlots(db, id, { ...open, from: fewDate, to: fewDate, times: ['10:00'] });
  // Opens on its own day at 09:00 (closes 13:00): always in the future while the tests run.
  const [notOpenSlotId] = await insertSlots(db, id, {
    ...open,
    from: fewDate,
    to: fewDate,
    times: ['14:00'],
    opensDaysBefore: 0,
    opensAtTime: '09:00',
    closesAtTime: '13:00',
  });
  const [fullSlotId] = await insertSlots(db, id, { ...open, from: fullDate, to: fullDate, times: ['10:00'] });
  // One place taken leaves exactly fewLeftAbsolute (△); every place taken is ×.
  const fewBookings = SECOND_VENUE_CAPACITY - defaultPolicy.fewLeftAbsolute;
  const fillers = Array.from({ length: fewBookings + SECOND_VENUE_CAPACITY }, (_, i) => ({
    voucherNumber: String(2_100_000_000 + i),
    birthDate: `1980-01-${String(10 + i).padStart(2, '0')}`,
    nameKanji: `満員 ${i}`,
    nameKana: `マンイン ${i}`,
    sex: 'F' as const,
    phone: null,
    doses: [],
  }));
  const fillerIds = await insertResidents(db, municipalityCode, fillers);
  const residents = fillerIds.map((residentId, i) => ({
    id: residentId,
    voucherNumber: fillers[i]!.voucherNumber,
    birthDate: fillers[i]!.birthDate,
  }));
  const bookings = residents.map((resident, i) => ({ resident, slotId: i < fewBookings ? fewSlotId! : fullSlotId! }));
  const venue: E2eSecondVenue = {
    id,
    ...facts,
    vaccine: { code: vaccine, nameJa: rule.nameJa, nameEn: rule.nameEn },
    freeDate,
    fewDate,
    fullDate,
    freeSlotIds,
    fewSlotId: fewSlotId!,
    notOpenSlotId: notOpenSlotId!,
    fullSlotId: fullSlotId!,
    fewRemaining: defaultPolicy.fewLeftAbsolute,
  };
  return { venue, bookings };
}

/** Voucher → SMS → code → book, as a resident's own phone would, against the running server. */
async function bookThroughHttp(
  baseUrl: string,
  dataDir: string,
  municipalityCode: string,
  resident: { id: number; voucherNumber: string; birthDate: string },
  slotId: number,
): Promise<void> {
  let cookie = '';
  let csrfToken = '';
  const post = async (route: string, body: object): Promise<Record<string, string>> => {
    const response = await fetch(`${baseUrl}/api/v1${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie, 'x-csrf-token': csrfToken } : {}) },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`e2e setup ${route}: ${response.status} ${await response.text()}`);
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) cookie = setCookie.split(';')[0]!;
    return (await response.json()) as Record<string, string>;
  };
  const { challengeId } = await post('/auth/voucher', {
    municipalityCode,
    voucherNumber: resident.voucherNumber,
    birthDate: resident.birthDate,
  });
  const phone = `0801${String(resident.id).padStart(7, '0')}`; // a valid mobile range (080-1…)
  await post('/auth/sms', { challengeId, phone });
  ({ csrfToken } = (await post('/auth/verify', { challengeId, code: latestCode(dataDir, phone) })) as { csrfToken: string });
  await post('/reservations', { slotId, residentId: resident.id });
}

async function seedMessages(db: Db, municipalityCode: string): Promise<void> {
  const row = (kind: 'booking-confirmed' | 'reminder', channel: 'sms' | 'email', status: 'sent' | 'failed', segments: number) => ({
    idempotency_key: randomUUID(),
    municipality_code: municipalityCode,
    kind,
    channel,
    delivery: 'at-least-once' as const,
    recipient: channel === 'sms' ? '+819000001234' : 'seed@example.jp',
    language: 'ja',
    subject: channel === 'email' ? 'seed' : null,
    body: 'seed',
    segments,
    encoding: channel === 'sms' ? ('ucs2' as const) : null,
    status,
    attempts: status === 'failed' ? 7 : 1,
    provider: 'twilio',
    last_error: status === 'failed' ? 'HTTP 400: The number +8190000012xx is not a valid mobile number' : null,
    failed_at: status === 'failed' ? new Date() : null,
    sent_at: status === 'sent' ? new Date() : null,
  });
  await db
    .insertInto('notification_outbox')
    .values([
      row('booking-confirmed', 'sms', 'sent', 2),
      row('booking-confirmed', 'sms', 'sent', 2),
      row('booking-confirmed', 'sms', 'sent', 3),
      row('reminder', 'email', 'sent', 0),
      row('reminder', 'sms', 'failed', 2),
    ])
    .execute();
}
