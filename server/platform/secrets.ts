import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
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

export function randomToken(bytes = 18): string {
  return randomBytes(bytes).toString('base64url');
}
