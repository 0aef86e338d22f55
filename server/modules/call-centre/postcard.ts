import fs from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { formatReservationNumber } from '../reservations/index.js';

/**
 * The confirmation postcard (予約登録済書) the call centre posts to a caller: a Japanese postcard,
 * 100 × 148 mm, the address side (postcode boxes, address, name) then the message side (the
 * booking, what to bring, whom to ring, a QR code to the booking page), in Japanese or English.
 *
 * The Japanese font is Noto Sans JP (SIL Open Font License) from the npm package
 * @expo-google-fonts/noto-sans-jp, which ships it as whole TrueType files (the @fontsource packages
 * ship web subsets in woff/woff2, which pdfkit cannot embed): no system font is needed. pdfkit
 * embeds only the glyphs a card uses, so a card is small. POSTCARD_FONT names another
 * OpenType/TrueType file or collection (Debian's Noto Sans CJK, say) to use instead.
 */
const MM = 72 / 25.4;
const WIDTH = 100 * MM;
const HEIGHT = 148 * MM;
export const DEFAULT_POSTCARD_FONT = createRequire(import.meta.url).resolve(
  '@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf',
);
/** In a collection (Noto Sans CJK's .ttc), the Japanese face (the others differ in some kanji). */
const JAPANESE_FACE = 'NotoSansCJKjp-Regular';
const isCollection = (path: string) => /\.(ttc|otc)$/i.test(path);

export type PostcardLanguage = 'ja' | 'en';

export interface PostcardBooking {
  number: string;
  name: string;
  address: string | null;
  dose: number;
  vaccine: { nameJa: string; nameEn: string };
  startsAt: Date;
  durationMinutes: number;
  venue: { nameJa: string; nameEn: string; address: string };
}

export interface PostcardSender {
  nameJa: string;
  nameEn: string;
  timeZone: string;
  callCentrePhone: string | null;
  /** The municipality's booking page, for the QR code. */
  bookingUrl: string;
}

const TEXTS = {
  ja: {
    title: '予約登録済書',
    honorific: '様',
    intro: 'ワクチン接種のご予約を承りました。',
    number: '予約番号',
    when: '日時',
    where: '会場',
    dose: (n: number, vaccine: string) => `${n}回目（${vaccine}）`,
    doseLabel: '接種',
    bring: '当日お持ちいただくもの：接種券、本人確認書類（マイナンバーカード、運転免許証、保険証など）、お薬手帳（お持ちの方）',
    contact: (phone: string) => `ご変更・キャンセル：予約センター ${phone}`,
    qr: '予約の確認・変更はこちら',
    sender: (name: string) => `${name} ワクチン接種予約センター`,
    locale: 'ja-JP',
  },
  en: {
    title: 'Booking confirmation',
    honorific: '',
    intro: 'Your vaccination is booked.',
    number: 'Reservation number',
    when: 'Date and time',
    where: 'Venue',
    dose: (n: number, vaccine: string) => `Dose ${n} (${vaccine})`,
    doseLabel: 'Dose',
    bring:
      'Please bring: your voucher, an identity document (My Number card, driving licence, health insurance card…), and your medicine notebook if you have one.',
    contact: (phone: string) => `To change or cancel, call the booking centre: ${phone}`,
    qr: 'Check or change your booking',
    sender: (name: string) => `${name} vaccination booking centre`,
    locale: 'en-GB',
  },
} as const;

export class PostcardFontMissingError extends Error {
  constructor(path: string) {
    super(
      `The postcard's Japanese font is not at ${path}: reinstall the npm packages (npm ci: @expo-google-fonts/noto-sans-jp) or set POSTCARD_FONT to a Japanese OpenType/TrueType font.`,
    );
  }
}

/** Fails with a clear message when the font is not there, before any PDF is started. */
export function checkPostcardFont(path: string): void {
  if (!fs.existsSync(path)) throw new PostcardFontMissingError(path);
}

/** The postcode in an address (〒100-0001 or 100-0001 at its start), and the rest of the address. */
export function splitPostcode(address: string | null): { postcode: string; rest: string } {
  const text = (address ?? '').normalize('NFKC').trim();
  const match = /^〒?\s*(\d{3})-?(\d{4})\s*(.*)$/s.exec(text);
  return match ? { postcode: match[1]! + match[2]!, rest: match[3]! } : { postcode: '', rest: text };
}

/**
 * A PDF of postcards, one card (two pages: address side, message side) per booking, written as
 * they come: `bookings` may be an async stream of any length, and memory stays flat (pdfkit
 * writes each page out when the next begins). Returns the document, a readable stream.
 */
export function renderPostcards(
  bookings: AsyncIterable<PostcardBooking>,
  options: { sender: PostcardSender; language: PostcardLanguage; fontPath: string },
): PDFKit.PDFDocument {
  checkPostcardFont(options.fontPath);
  const doc = new PDFDocument({ size: [WIDTH, HEIGHT], margin: 0, autoFirstPage: false, info: { Title: TEXTS[options.language].title } });
  doc.registerFont('jp', options.fontPath, isCollection(options.fontPath) ? JAPANESE_FACE : undefined);
  void (async () => {
    try {
      const qr = QRCode.create(options.sender.bookingUrl, { errorCorrectionLevel: 'M' });
      for await (const booking of bookings) {
        addressSide(doc, booking, options.sender, options.language);
        messageSide(doc, booking, options.sender, options.language, qr);
      }
      if (doc.bufferedPageRange().count === 0) doc.addPage();
      doc.end();
    } catch (error) {
      doc.emit('error', error);
    }
  })();
  return doc;
}

function addressSide(doc: PDFKit.PDFDocument, booking: PostcardBooking, sender: PostcardSender, language: PostcardLanguage) {
  const t = TEXTS[language];
  doc.addPage({ size: [WIDTH, HEIGHT], margin: 0 });
  doc.font('jp');
  // The seven postcode boxes where Japan Post's readers look for them (top right, 3 + 4).
  const { postcode, rest } = splitPostcode(booking.address);
  const boxes = [44, 51, 58, 65.8, 72.6, 79.4, 86.2];
  boxes.forEach((x, i) => {
    doc
      .lineWidth(0.8)
      .strokeColor('#d00000')
      .rect(x * MM, 12 * MM, 5.7 * MM, 8 * MM)
      .stroke();
    const digit = postcode[i];
    if (digit)
      doc
        .fillColor('black')
        .fontSize(14)
        .text(digit, x * MM, 13.2 * MM, { width: 5.7 * MM, align: 'center' });
  });
  doc
    .fillColor('black')
    .fontSize(11)
    .text(rest, 14 * MM, 32 * MM, { width: 72 * MM });
  doc.fontSize(18).text(`${booking.name} ${t.honorific}`.trim(), 14 * MM, 62 * MM, { width: 72 * MM, align: 'center' });
  const from = language === 'ja' ? sender.nameJa : sender.nameEn;
  doc.fontSize(8).text(t.sender(from), 8 * MM, 128 * MM, { width: 60 * MM });
  if (sender.callCentrePhone) doc.text(sender.callCentrePhone, 8 * MM, 133 * MM, { width: 60 * MM });
}

function messageSide(
  doc: PDFKit.PDFDocument,
  booking: PostcardBooking,
  sender: PostcardSender,
  language: PostcardLanguage,
  qr: QRCode.QRCode,
) {
  const t = TEXTS[language];
  doc.addPage({ size: [WIDTH, HEIGHT], margin: 0 });
  doc.font('jp').fillColor('black');
  const left = 8 * MM;
  const width = 84 * MM;
  doc.fontSize(15).text(t.title, left, 8 * MM, { width, align: 'center' });
  doc.fontSize(9).text(`${booking.name} ${t.honorific}`.trim(), left, 18 * MM, { width });
  doc.text(t.intro, { width });
  doc.moveDown(0.6).fontSize(8).text(t.number, { width });
  doc.fontSize(20).text(formatReservationNumber(booking.number), { width, characterSpacing: 2 });
  const when = new Intl.DateTimeFormat(t.locale, {
    timeZone: sender.timeZone,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(booking.startsAt);
  const venue = language === 'ja' ? booking.venue.nameJa : booking.venue.nameEn;
  const vaccine = language === 'ja' ? booking.vaccine.nameJa : booking.vaccine.nameEn;
  doc.moveDown(0.4).fontSize(8).text(t.when, { width });
  doc.fontSize(12).text(when, { width });
  doc.moveDown(0.3).fontSize(8).text(t.where, { width });
  doc.fontSize(11).text(venue, { width });
  doc.fontSize(8).text(booking.venue.address, { width });
  doc.moveDown(0.3).text(`${t.doseLabel}: ${t.dose(booking.dose, vaccine)}`, { width });
  doc.moveDown(0.5).fontSize(7.5).text(t.bring, { width });
  if (sender.callCentrePhone) doc.moveDown(0.4).fontSize(8).text(t.contact(sender.callCentrePhone), { width });
  // The QR code of the booking page, bottom right, drawn module by module (no image to embed).
  const size = 22 * MM;
  const cell = size / qr.modules.size;
  const x0 = WIDTH - 8 * MM - size;
  const y0 = HEIGHT - 10 * MM - size;
  for (let row = 0; row < qr.modules.size; row++) {
    for (let col = 0; col < qr.modules.size; col++) {
      if (qr.modules.get(row, col)) doc.rect(x0 + col * cell, y0 + row * cell, cell, cell);
    }
  }
  doc.fill('black');
  doc.fontSize(7).text(t.qr, left, y0 + size / 2, { width: x0 - left - 3 * MM });
}
