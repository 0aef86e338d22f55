import { randomInt } from 'node:crypto';

/**
 * Reservation numbers are read out over the phone, so they avoid characters people confuse
 * (0/O, 1/I/L) and end in a check character that catches any single wrong character and any
 * swap of two neighbours. Shown as XXXX-XXXX.
 */
export const RESERVATION_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const BASE = RESERVATION_ALPHABET.length;
const BODY_LENGTH = 7;

/**
 * Weights 8…2 on the body and 1 on the check character make a valid number's weighted sum 0 mod 31.
 * 31 is prime, so every weight and every difference of neighbouring weights is invertible: one
 * wrong character or one swap of different neighbours always changes the sum. Needs a prime
 * alphabet size. (The Luhn mod 31 used before did not: doubling is not one-to-one in an odd base,
 * so a 4 read as K in every other position went unnoticed, as did swapping 2 and Z.)
 */
function checkCharacter(body: string): string {
  const sum = [...body].reduce((total, ch, i) => total + (BODY_LENGTH + 1 - i) * RESERVATION_ALPHABET.indexOf(ch), 0);
  return RESERVATION_ALPHABET[(BASE - (sum % BASE)) % BASE]!;
}

export function generateReservationNumber(random: (max: number) => number = randomInt): string {
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) body += RESERVATION_ALPHABET[random(BASE)];
  return body + checkCharacter(body);
}

/** Upper-cases, folds full width and drops separators; returns undefined unless it is a well-formed number. */
export function normaliseReservationNumber(input: string): string | undefined {
  // Japanese input methods turn the hyphen key into ー (long-vowel mark) or − (minus sign).
  const value = input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-‐－ー−]/g, '');
  if (value.length !== BODY_LENGTH + 1) return undefined;
  if ([...value].some((ch) => !RESERVATION_ALPHABET.includes(ch))) return undefined;
  return checkCharacter(value.slice(0, BODY_LENGTH)) === value[BODY_LENGTH] ? value : undefined;
}

export function formatReservationNumber(value: string): string {
  return `${value.slice(0, 4)}-${value.slice(4)}`;
}
