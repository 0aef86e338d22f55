import { randomInt } from 'node:crypto';
import { addDays, localDate } from '../../shared/dates.js';
import type { Db } from '../../server/db/database.js';
import { insertMunicipality, insertResidents, insertSlots, insertVenue } from '../../server/demo/seed.js';
import type { DemoResident } from '../../server/demo/demo-data.js';
import { municipalityCheckDigit } from '../../server/modules/municipalities/index.js';

/** A fresh, valid municipality code that no other test file uses. */
export async function freshMunicipalityCode(db: Db): Promise<string> {
  for (;;) {
    const firstFive = String(randomInt(10_000, 99_999));
    const code = firstFive + municipalityCheckDigit(firstFive);
    const taken = await db.selectFrom('municipalities').select('code').where('code', '=', code).executeTakeFirst();
    if (!taken) return code;
  }
}

export interface TestResidentSpec {
  birthDate?: string;
  doses?: DemoResident['doses'];
  nameKana?: string;
}

export interface TestMunicipality {
  code: string;
  timeZone: string;
  venueId: number;
  vaccine: string;
  slotIds: number[];
  residents: { id: number; voucherNumber: string; birthDate: string }[];
}

/**
 * A municipality with one venue, `slots` slots (one a day at 10:00 local from tomorrow, booking
 * open now) of `capacity` places each, and `residents` residents without doses.
 */
export async function createTestMunicipality(
  db: Db,
  options: {
    now?: Date;
    residents?: number | TestResidentSpec[];
    slots?: number;
    capacity?: number;
    vaccine?: string;
    settings?: object;
    times?: string[];
    timeZone?: string;
  } = {},
): Promise<TestMunicipality> {
  const now = options.now ?? new Date();
  const timeZone = options.timeZone ?? 'Asia/Tokyo';
  const code = await freshMunicipalityCode(db);
  const vaccine = options.vaccine ?? 'pfizer';
  await insertMunicipality(db, { code, nameJa: 'テスト市', nameEn: 'Test City', timeZone, settings: options.settings });
  const venueId = await insertVenue(db, { municipalityCode: code, nameJa: 'テスト会場', nameEn: 'Test venue', address: '東京都', vaccine });
  const days = options.slots ?? 1;
  const today = localDate(now, timeZone);
  const slotIds = await insertSlots(db, venueId, {
    from: addDays(today, 1),
    to: addDays(today, days),
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    times: options.times ?? ['10:00'],
    durationMinutes: 30,
    capacity: options.capacity ?? 10,
    opensDaysBefore: 400,
    opensAtTime: '00:00',
    // On the slot's own day, early: a run that crosses midnight in the town (15:00 UTC for Tokyo)
    // still finds tomorrow's slots open; they close at least nine hours after they were made.
    closesDaysBefore: 0,
    closesAtTime: '09:00',
    timeZone,
  });
  const specs: TestResidentSpec[] =
    typeof options.residents === 'number' || options.residents === undefined
      ? Array.from({ length: options.residents ?? 10 }, () => ({}))
      : options.residents;
  const demo: DemoResident[] = specs.map((spec, i) => ({
    voucherNumber: String(2_000_000_000 + i),
    birthDate: spec.birthDate ?? '1970-01-01',
    nameKanji: `試験 ${i}`,
    nameKana: spec.nameKana ?? `シケン ${i}`,
    sex: i % 2 ? 'M' : 'F',
    phone: null,
    doses: spec.doses ?? [],
  }));
  const ids = await insertResidents(db, code, demo);
  return {
    code,
    timeZone,
    venueId,
    vaccine,
    slotIds,
    residents: ids.map((id, i) => ({ id, voucherNumber: demo[i]!.voucherNumber, birthDate: demo[i]!.birthDate })),
  };
}

/**
 * Checks the invariant: every slot's count equals the places used (reservations booked, or marked
 * attended or no-show at check-in: the slot was used) plus live holds.
 */
export async function slotCountsMismatches(db: Db, slotIds: number[]) {
  if (slotIds.length === 0) return [];
  const slots = await db.selectFrom('slots').select(['id', 'taken', 'capacity', 'extra_places']).where('id', 'in', slotIds).execute();
  const booked = await db
    .selectFrom('reservations')
    .select(['slot_id', db.fn.countAll<number>().as('n')])
    .where('slot_id', 'in', slotIds)
    .where('status', 'in', ['booked', 'attended', 'no_show'])
    .groupBy('slot_id')
    .execute();
  const held = await db
    .selectFrom('holds')
    .select(['slot_id', db.fn.countAll<number>().as('n')])
    .where('slot_id', 'in', slotIds)
    .groupBy('slot_id')
    .execute();
  return slots
    .map((slot) => {
      const active = Number(booked.find((b) => b.slot_id === slot.id)?.n ?? 0) + Number(held.find((h) => h.slot_id === slot.id)?.n ?? 0);
      return { slotId: slot.id, taken: slot.taken, capacity: slot.capacity, extraPlaces: slot.extra_places, active };
    })
    .filter((s) => s.taken !== s.active || s.taken > s.capacity + s.extraPlaces);
}
