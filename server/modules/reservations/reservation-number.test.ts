import { describe, expect, it } from 'vitest';
import {
  RESERVATION_ALPHABET,
  formatReservationNumber,
  generateReservationNumber,
  normaliseReservationNumber,
} from './reservation-number.js';

/** The number whose seven body characters are `body`, with its check character (the generator picks them). */
function numberWithBody(body: string): string {
  const picks = [...body].map((ch) => RESERVATION_ALPHABET.indexOf(ch));
  return generateReservationNumber(() => picks.shift()!);
}

/** Every character the alphabet has, in a few arrangements, as bodies to test on. */
const sampleBodies = ['2345678', '9ABCDEF', 'GHJKMNP', 'QRSTUVW', 'XYZ2Z2Z', 'ZZZZZZZ', '2222222', 'K7P2XQM'];

describe('RESERVATION_ALPHABET', () => {
  it('has 31 distinct characters and none of 0 O 1 I L', () => {
    expect(new Set(RESERVATION_ALPHABET).size).toBe(31);
    expect(RESERVATION_ALPHABET).toMatch(/^[2-9A-Z]+$/);
    for (const confusable of '0O1IL') expect(RESERVATION_ALPHABET).not.toContain(confusable);
  });
});

describe('generateReservationNumber', () => {
  it('makes 8 alphabet characters that pass their own check', () => {
    for (let i = 0; i < 200; i++) {
      const number = generateReservationNumber();
      expect(number).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
      expect(normaliseReservationNumber(number)).toBe(number);
    }
  });

  it('takes its seven body characters from the random source', () => {
    expect(numberWithBody('K7P2XQM').slice(0, 7)).toBe('K7P2XQM');
  });
});

describe('formatReservationNumber', () => {
  it('shows XXXX-XXXX', () => {
    expect(formatReservationNumber('K7P2XQMA')).toBe('K7P2-XQMA');
  });
});

describe('the check character', () => {
  it('catches every single wrong character, in every position', () => {
    for (const body of sampleBodies) {
      const number = numberWithBody(body);
      for (let position = 0; position < 8; position++) {
        for (const typo of RESERVATION_ALPHABET) {
          if (typo === number[position]) continue;
          const mistyped = number.slice(0, position) + typo + number.slice(position + 1);
          expect(normaliseReservationNumber(mistyped), `${number} → ${mistyped}`).toBeUndefined();
        }
      }
    }
  });

  it('catches every swap of two different neighbours, the check character included', () => {
    const missed: string[] = [];
    for (let position = 0; position < 7; position++) {
      for (const a of RESERVATION_ALPHABET) {
        for (const b of RESERVATION_ALPHABET) {
          const body = `${'3'.repeat(position)}${a}${b}${'3'.repeat(7)}`.slice(0, 7);
          const number = numberWithBody(body);
          if (number[position] === number[position + 1]) continue;
          const swapped = number.slice(0, position) + number[position + 1] + number[position] + number.slice(position + 2);
          if (normaliseReservationNumber(swapped) !== undefined) missed.push(`${number} ↔ ${swapped}`);
        }
      }
    }
    expect(missed).toEqual([]);
  });
});

describe('normaliseReservationNumber', () => {
  const number = numberWithBody('K7P2XQM');
  const shown = formatReservationNumber(number);
  const fullWidth = (text: string) => text.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));

  it('accepts what people type: lower case, hyphens, spaces, full width', () => {
    const spellings = [
      number,
      shown,
      shown.toLowerCase(),
      ` ${shown} `,
      `${number.slice(0, 4)} ${number.slice(4)}`,
      `${number.slice(0, 4)}\u3000${number.slice(4)}`,
      fullWidth(shown),
      fullWidth(shown.toLowerCase()),
      `${number.slice(0, 4)}－${number.slice(4)}`,
      `${number.slice(0, 4)}‐${number.slice(4)}`,
      // What Japanese input methods give for the hyphen key: the long-vowel mark and the minus sign.
      `${number.slice(0, 4)}ー${number.slice(4)}`,
      `${number.slice(0, 4)}−${number.slice(4)}`,
    ];
    for (const spelling of spellings) expect(normaliseReservationNumber(spelling), spelling).toBe(number);
  });

  it('refuses confusable characters instead of guessing', () => {
    // A 0, O, 1, I or L can never be part of a number; they are not silently mapped.
    for (const confusable of '0O1IL') {
      expect(normaliseReservationNumber(confusable + number.slice(1))).toBeUndefined();
    }
  });

  it('refuses wrong lengths and foreign characters', () => {
    for (const value of ['', number.slice(0, 7), number + '2', `${number.slice(0, 7)}!`, `${number.slice(0, 7)}あ`, '\u0000'.repeat(8)]) {
      expect(normaliseReservationNumber(value), value).toBeUndefined();
    }
  });
});
