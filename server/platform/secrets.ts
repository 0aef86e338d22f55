import { createHmac, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * The server's signing key: SESSION_SECRET when given, else a random key kept in
 * $DATA_DIR/session-secret so that restarts (and processes sharing the folder) keep sessions.
 */
export async function loadSigningKey(configured: string | undefined, dataDir: string): Promise<Buffer> {
  if (configured) return Buffer.from(configured, 'utf8');
  const file = path.join(dataDir, 'session-secret');
  try {
    return Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'base64url');
  } catch {
    await fs.mkdir(dataDir, { recursive: true });
    const key = randomBytes(32);
    try {
      await fs.writeFile(file, key.toString('base64url'), { mode: 0o600, flag: 'wx' });
      return key;
    } catch {
      // Another process wrote it first: use theirs.
      return Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'base64url');
    }
  }
}

export function hmac(key: Buffer, ...parts: string[]): string {
  return createHmac('sha256', key).update(parts.join('\u0000')).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Random bytes for tokens, drawn from the operating system's CSPRNG a page at a time, as
 * crypto.randomUUID does: one call serves some two hundred tokens (a join, a sign-in, a CSRF
 * token each take one), where a call per token cost a join about 9 µs. Each byte is handed out
 * once; a spent page is dropped, never refilled in place.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let taken = 0;

export function randomToken(bytes = 18): string {
  if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new RangeError(`a token needs a positive whole number of bytes, not ${bytes}`);
  if (bytes > POOL_BYTES / 4) return randomBytes(bytes).toString('base64url');
  if (taken + bytes > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafeSlow(POOL_BYTES));
    taken = 0;
  }
  const token = pool.toString('base64url', taken, taken + bytes);
  taken += bytes;
  return token;
}
