import { addDays, localDate, type IsoDate } from '../../shared/dates.js';

/** A small deterministic random generator, so the demo is the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAMILY = [
  ['佐藤', 'サトウ'],
  ['鈴木', 'スズキ'],
  ['高橋', 'タカハシ'],
  ['田中', 'タナカ'],
  ['伊藤', 'イトウ'],
  ['渡辺', 'ワタナベ'],
  ['山本', 'ヤマモト'],
  ['中村', 'ナカムラ'],
  ['小林', 'コバヤシ'],
  ['加藤', 'カトウ'],
  ['吉田', 'ヨシダ'],
  ['山田', 'ヤマダ'],
  ['佐々木', 'ササキ'],
  ['松本', 'マツモト'],
  ['井上', 'イノウエ'],
] as const satisfies readonly (readonly [string, string])[];
const GIVEN_F: readonly (readonly [string, string])[] = [
  ['花子', 'ハナコ'],
  ['陽子', 'ヨウコ'],
  ['美咲', 'ミサキ'],
  ['恵子', 'ケイコ'],
  ['さくら', 'サクラ'],
  ['和子', 'カズコ'],
];
const GIVEN_M: readonly (readonly [string, string])[] = [
  ['太郎', 'タロウ'],
  ['健一', 'ケンイチ'],
  ['大輔', 'ダイスケ'],
  ['翔', 'ショウ'],
  ['誠', 'マコト'],
  ['茂', 'シゲル'],
];

export interface DemoResident {
  voucherNumber: string;
  birthDate: IsoDate;
  nameKanji: string;
  nameKana: string;
  sex: 'M' | 'F';
  phone: string | null;
  doses: { dose: number; date: IsoDate; vaccine: string }[];
  /** Shown in the start-up hint. */
  hint?: string;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function person(random: () => number, sex: 'M' | 'F') {
  const [familyKanji, familyKana] = pick(random, FAMILY);
  const [givenKanji, givenKana] = pick(random, sex === 'F' ? GIVEN_F : GIVEN_M);
  return { nameKanji: `${familyKanji} ${givenKanji}`, nameKana: `${familyKana} ${givenKana}` };
}

/**
 * 1,000 synthetic residents with mixed dose histories. The first few are fixed, so the README
 * and the browser tests can name them.
 */
export function demoResidents(today: Date, timeZone: string, count = 1000): DemoResident[] {
  const random = seededRandom(20210720);
  const todayLocal = localDate(today, timeZone);
  const fixed: DemoResident[] = [
    {
      voucherNumber: '1000000001',
      birthDate: '1950-04-01',
      nameKanji: '予約 花子',
      nameKana: 'ヨヤク ハナコ',
      sex: 'F',
      phone: '09012345678',
      doses: [],
      hint: 'no dose yet: book dose 1',
    },
    {
      voucherNumber: '1000000002',
      birthDate: '1985-07-15',
      nameKanji: '予約 太郎',
      nameKana: 'ヨヤク タロウ',
      sex: 'M',
      phone: null,
      doses: [{ dose: 1, date: addDays(todayLocal, -10), vaccine: 'pfizer' }],
      hint: 'had dose 1 (Pfizer) 10 days ago: book dose 2',
    },
    {
      voucherNumber: '1000000003',
      birthDate: '1948-11-03',
      nameKanji: '予約 茂',
      nameKana: 'ヨヤク シゲル',
      sex: 'M',
      phone: null,
      doses: [
        { dose: 1, date: addDays(todayLocal, -260), vaccine: 'moderna' },
        { dose: 2, date: addDays(todayLocal, -230), vaccine: 'moderna' },
      ],
      hint: 'two doses done: book a booster',
    },
    {
      voucherNumber: '1000000004',
      birthDate: '1979-02-20',
      nameKanji: '予約 陽子',
      nameKana: 'ヨヤク ヨウコ',
      sex: 'F',
      phone: null,
      doses: [],
      hint: 'no dose yet (try adding as family)',
    },
  ];
  const residents = [...fixed];
  const used = new Set(fixed.map((r) => r.voucherNumber));
  while (residents.length < count) {
    const voucherNumber = String(Math.floor(random() * 9_000_000_000) + 1_000_000_000);
    if (used.has(voucherNumber)) continue;
    used.add(voucherNumber);
    const sex = random() < 0.52 ? 'F' : 'M';
    const birthDate = addDays('1930-01-01', Math.floor(random() * 365 * 84));
    const vaccine = random() < 0.6 ? 'pfizer' : 'moderna';
    const roll = random();
    const doses: DemoResident['doses'] = [];
    if (roll > 0.3) doses.push({ dose: 1, date: addDays(todayLocal, -Math.floor(30 + random() * 300)), vaccine });
    if (roll > 0.55) doses.push({ dose: 2, date: addDays(doses[0]!.date, 28 + Math.floor(random() * 10)), vaccine });
    if (roll > 0.9) doses.push({ dose: 3, date: addDays(todayLocal, -Math.floor(random() * 20)), vaccine: 'pfizer' });
    const valid = doses.filter((d) => d.date < todayLocal);
    residents.push({ voucherNumber, birthDate, ...person(random, sex), sex, phone: null, doses: valid });
  }
  return residents;
}
