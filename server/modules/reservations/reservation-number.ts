import { randomInt } from 'node:crypto';

/**
 * Reservation numbers are read out over the phone, so they avoid characters people confuse
 * (0/O, 1/I/L) and end in a check character (Luhn mod 31) that catches any single wrong
 * character and most swapped neighbours. Shown as XXXX-XXXX.
 */
export const RESERVATION_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const BASE = RESERVATION_ALPHABET.length;
const BODY_LENGTH = 7;

function luhnCheckCharacter(body: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = body.length - 1; i >= 0; i--) {
    const codePoint = RESERVATION_ALPHABET.indexOf(body[i]!);
    let addend = factor * codePoint;
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / BASE) + (addend % BASE);
    sum += addend;
  }
  return RESERVATION_ALPHABET[(BASE - (sum % BASE)) % BASE]!;
}

export function generateReservationNumber(random: (max: number) => number = randomInt): string {
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) body += RESERVATION_ALPHABET[random(BASE)];
  return body + luhnCheckCharacter(body);
}

/** Upper-cases and drops separators; returns undefined unless it is a well-formed number. */
export function normaliseReservationNumber(input: string): string | undefined {
  const value = input.normalize('NFKC').toUpperCase().replace(/[\s\-‐－]/g, '');
  if (value.length !== BODY_LENGTH + 1) return undefined;
  if ([...value].some((ch) => !RESERVATION_ALPHABET.includes(ch))) return undefined;
  return luhnCheckCharacter(value.slice(0, BODY_LENGTH)) === value[BODY_LENGTH] ? value : undefined;
}

export function formatReservationNumber(value: string): string {
  return `${value.slice(0, 4)}-${value.slice(4)}`;
}
