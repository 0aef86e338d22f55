import { randomInt } from 'node:crypto';
import { hmac } from '../../platform/secrets.js';

/** Crockford's base32: no I, L, O or U, so a code read from paper is typed right. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 10;

/** Ten characters (50 bits), shown as XXXXX-XXXXX. */
export function newRecoveryCode(): string {
  const chars = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]!);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

/** The code as stored and compared: upper case, without separators, O read as 0 and I or L as 1. */
export function normaliseRecoveryCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return code.length === LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : undefined;
}

/**
 * Codes are kept as keyed hashes (HMAC under the signing key): 50 random bits are too few to
 * survive an offline guess at a plain hash, and nobody without the key can even try.
 */
export function recoveryCodeHash(key: Buffer, accountId: number, normalised: string): string {
  return hmac(key, 'staff-recovery-code', String(accountId), normalised);
}
