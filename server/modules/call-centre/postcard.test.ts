import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POSTCARD_FONT, renderPostcards, type PostcardBooking } from './postcard.js';

const booking: PostcardBooking = {
  number: 'ABCD2345',
  name: '佐藤 花子',
  address: '〒100-0001 東京都千代田区千代田1-1',
  dose: 1,
  vaccine: { nameJa: 'ファイザー', nameEn: 'Pfizer' },
  startsAt: new Date('2026-12-03T01:00:00Z'),
  durationMinutes: 30,
  venue: { nameJa: '千代田区役所 1階ホール', nameEn: 'Chiyoda City Office', address: '東京都千代田区九段南1-2-1' },
};
const sender = {
  nameJa: '千代田区',
  nameEn: 'Chiyoda City',
  timeZone: 'Asia/Tokyo',
  callCentrePhone: '0120-123-456',
  bookingUrl: 'https://example.jp/',
};

async function* one() {
  yield booking;
}

async function pdfOf(fontPath: string): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'postcard-')), 'card.pdf');
  const doc = renderPostcards(one(), { sender, language: 'ja', fontPath });
  await new Promise<void>((resolve, reject) => doc.pipe(fs.createWriteStream(file)).on('finish', resolve).on('error', reject));
  return file;
}

/** The postcard's Japanese font comes from an npm package: no system font is needed (poppler reads the PDF back). */
describe('the postcard font', () => {
  it('is Noto Sans JP from node_modules, a TrueType file under the SIL Open Font License', () => {
    expect(DEFAULT_POSTCARD_FONT).toContain(`node_modules${path.sep}@expo-google-fonts${path.sep}noto-sans-jp`);
    expect(fs.readFileSync(DEFAULT_POSTCARD_FONT).subarray(0, 4)).toEqual(Buffer.from([0, 1, 0, 0]));
    const licence = fs.readFileSync(path.join(path.dirname(path.dirname(DEFAULT_POSTCARD_FONT)), 'LICENSE_FONT'), 'utf8');
    expect(licence).toContain('SIL Open Font License');
  });

  it('is embedded, and the Japanese text extracts with pdftotext', async () => {
    const file = await pdfOf(DEFAULT_POSTCARD_FONT);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/NotoSansJP-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const part of ['予約登録済書', '佐藤花子様', 'ABCD-2345', '千代田区役所1階ホール', '予約番号', '100'])
      expect(text).toContain(part);
    // Only the glyphs used are embedded: a card is small though the font is 5 MB.
    expect(fs.statSync(file).size).toBeLessThan(200_000);
  });
});
