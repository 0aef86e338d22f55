import { describe, expect, it } from 'vitest';
import { venueWords, type VenueFacts } from './venue-words.js';

const hall: VenueFacts = {
  nameJa: '区役所 会場',
  nameEn: 'City Hall site',
  address: '東京都千代田区九段南1-2-1',
  accessNotes: '九段下駅 徒歩5分',
  texts: {
    en: { address: '1-2-1 Kudan-minami', accessNotes: '5 min from Kudanshita' },
    vi: { name: 'Điểm tiêm Tòa thị chính' },
    'ja-x-easy': { accessNotes: '九段下(くだんした)駅から 歩いて 5分' },
  },
};

describe('venueWords', () => {
  it('uses the language’s own words where staff gave them, English next, then the columns', () => {
    expect(venueWords(hall, 'vi')).toMatchObject({
      name: 'Điểm tiêm Tòa thị chính',
      address: '1-2-1 Kudan-minami',
      accessNotes: '5 min from Kudanshita',
      lang: { name: 'vi', address: 'en', accessNotes: 'en' },
    });
    expect(venueWords({ ...hall, texts: {} }, 'ko')).toMatchObject({
      name: 'City Hall site',
      address: hall.address,
      lang: { name: 'en', address: 'ja', accessNotes: 'ja' },
    });
  });

  it('gives Japanese readers the Japanese columns, やさしい日本語 its own words first', () => {
    expect(venueWords(hall, 'ja')).toMatchObject({ name: hall.nameJa, address: hall.address, accessNotes: hall.accessNotes });
    expect(venueWords(hall, 'ja-x-easy')).toMatchObject({
      name: hall.nameJa,
      accessNotes: '九段下(くだんした)駅から 歩いて 5分',
      lang: { name: 'ja', accessNotes: 'ja-x-easy' },
    });
  });

  it('has no access notes when nobody wrote any', () => {
    expect(venueWords({ ...hall, accessNotes: null, texts: {} }, 'en').accessNotes).toBeNull();
  });
});
