import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits: a session cookie's value or a one-time link's token. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps of a token: a copy of the table lets nobody sign in or use a link. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** E-mail addresses are compared without regard to case (the unique index does the same). */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
