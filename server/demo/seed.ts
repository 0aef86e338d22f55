import { addDays, localDate } from '../../shared/dates.js';
import type { Db } from '../db/database.js';
import type { VenueTexts } from '../db/schema.js';
import { normaliseKana } from '../modules/residents/index.js';
import { planSlots, type ScheduleTemplate, timesBetween } from '../modules/venues/index.js';
import { demoResidents, type DemoResident } from './demo-data.js';

export const DEMO_MUNICIPALITY = '131016';

export async function insertMunicipality(
  db: Db,
  values: { code: string; nameJa: string; nameEn: string; timeZone?: string; callCentrePhone?: string; settings?: object },
): Promise<void> {
  await db
    .insertInto('municipalities')
    .values({
      code: values.code,
      name_ja: values.nameJa,
      name_en: values.nameEn,
      time_zone: values.timeZone ?? 'Asia/Tokyo',
      call_centre_phone: values.callCentrePhone ?? null,
      settings: JSON.stringify(values.settings ?? {}),
    })
    .execute();
}

export async function insertVenue(
  db: Db,
  values: {
    municipalityCode: string;
    nameJa: string;
    nameEn: string;
    address: string;
    vaccine: string;
    accessNotes?: string;
    mapUrl?: string;
    texts?: VenueTexts;
  },
): Promise<number> {
  const row = await db
    .insertInto('venues')
    .values({
      municipality_code: values.municipalityCode,
      name_ja: values.nameJa,
      name_en: values.nameEn,
      address: values.address,
      vaccine: values.vaccine,
      access_notes: values.accessNotes ?? null,
      map_url: values.mapUrl ?? null,
      texts: JSON.stringify(values.texts ?? {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertSlots(db: Db, venueId: number, template: ScheduleTemplate): Promise<number[]> {
  const planned = planSlots(template);
  const ids: number[] = [];
  for (let i = 0; i < planned.length; i += 500) {
    const rows = await db
      .insertInto('slots')
      .values(
        planned.slice(i, i + 500).map((slot) => ({
          venue_id: venueId,
          starts_at: slot.startsAt,
          duration_minutes: slot.durationMinutes,
          capacity: slot.capacity,
          opens_at: slot.opensAt,
          closes_at: slot.closesAt,
        })),
      )
      .returning('id')
      .execute();
    ids.push(...rows.map((row) => row.id));
  }
  return ids;
}

export async function insertResidents(db: Db, municipalityCode: string, residents: DemoResident[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < residents.length; i += 500) {
    const batch = residents.slice(i, i + 500);
    const rows = await db
      .insertInto('residents')
      .values(
        batch.map((r) => ({
          municipality_code: municipalityCode,
          voucher_number: r.voucherNumber,
          birth_date: r.birthDate,
          name_kanji: r.nameKanji,
          name_kana: r.nameKana,
          name_kana_key: normaliseKana(r.nameKana),
          sex: r.sex,
          phone: r.phone,
        })),
      )
      .returning('id')
      .execute();
    const doses = batch.flatMap((r, j) =>
      r.doses.map((d) => ({ resident_id: rows[j]!.id, dose_number: d.dose, administered_on: d.date, vaccine: d.vaccine })),
    );
    if (doses.length > 0) await db.insertInto('dose_records').values(doses).execute();
    ids.push(...rows.map((row) => row.id));
  }
  return ids;
}

/**
 * The demo municipality (Chiyoda, 131016): three venues with different vaccines, four weeks of
 * slots whose booking is already open, and 1,000 residents. Does nothing if it exists.
 * Returns the residents to print as hints, or undefined when it was already there.
 */
export async function seedDemo(db: Db, now: Date): Promise<DemoResident[] | undefined> {
  const exists = await db.selectFrom('municipalities').select('code').where('code', '=', DEMO_MUNICIPALITY).executeTakeFirst();
  if (exists) return undefined;
  const timeZone = 'Asia/Tokyo';
  const today = localDate(now, timeZone);
  await db.transaction().execute(async (tx) => {
    const txDb = tx as unknown as Db;
    await insertMunicipality(txDb, {
      code: DEMO_MUNICIPALITY,
      nameJa: '千代田区',
      nameEn: 'Chiyoda City',
      callCentrePhone: '0120-000-000',
    });
    const base = {
      from: addDays(today, 1),
      to: addDays(today, 28),
      durationMinutes: 30,
      opensDaysBefore: 60,
      opensAtTime: '09:00',
      closesDaysBefore: 1,
      closesAtTime: '17:00',
      timeZone,
    };
    const venues = [
      {
        nameJa: '区役所 集団接種会場',
        nameEn: 'City Hall mass vaccination site',
        address: '東京都千代田区九段南1-2-1',
        vaccine: 'pfizer',
        accessNotes: '九段下駅 4番出口 徒歩5分',
        // Staff give what they have: the rest falls back (English, then the Japanese columns).
        texts: {
          en: { address: '1-2-1 Kudan-minami, Chiyoda-ku, Tokyo', accessNotes: '5 min walk from Kudanshita Station, exit 4' },
          'ja-x-easy': { name: '区役所(くやくしょ)の ワクチン会場', accessNotes: '九段下(くだんした)駅の 4番出口から 歩いて 5分' },
          'zh-Hans': { name: '区政府 集体接种会场', accessNotes: '九段下站 4号出口 步行5分钟' },
          'pt-BR': { name: 'Posto de vacinação da Prefeitura', accessNotes: '5 min a pé da saída 4 da estação Kudanshita' },
          vi: { name: 'Điểm tiêm chủng Tòa thị chính', accessNotes: 'Đi bộ 5 phút từ cửa số 4 ga Kudanshita' },
        } as VenueTexts,
        weekdays: [1, 2, 3, 4, 5, 6],
        capacity: 20,
      },
      {
        nameJa: '神田 区民会館',
        nameEn: 'Kanda Community Hall',
        address: '東京都千代田区神田須田町1-3',
        vaccine: 'moderna',
        accessNotes: '神田駅 徒歩7分',
        texts: { en: { accessNotes: '7 min walk from Kanda Station' } } as VenueTexts,
        weekdays: [2, 4, 6],
        capacity: 12,
      },
      {
        nameJa: '番町 診療所',
        nameEn: 'Bancho Clinic',
        address: '東京都千代田区一番町10',
        vaccine: 'novavax',
        accessNotes: '半蔵門駅 徒歩3分',
        texts: { en: { accessNotes: '3 min walk from Hanzomon Station' } } as VenueTexts,
        weekdays: [1, 3, 5],
        capacity: 4,
      },
    ];
    for (const venue of venues) {
      const id = await insertVenue(txDb, {
        municipalityCode: DEMO_MUNICIPALITY,
        ...venue,
        mapUrl: `https://www.openstreetmap.org/search?query=${encodeURIComponent(venue.address)}`,
      });
      await insertSlots(txDb, id, {
        ...base,
        weekdays: venue.weekdays,
        times: timesBetween('09:00', '16:30', 30),
        capacity: venue.capacity,
      });
    }
    await insertResidents(txDb, DEMO_MUNICIPALITY, demoResidents(now, timeZone));
  });
  return demoResidents(now, timeZone, 4);
}
