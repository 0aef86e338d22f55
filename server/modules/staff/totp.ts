import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

const ISSUER = 'Yoyaku';
/** One step (30 s) either side of now: a phone whose clock is a little off still works. */
const TOLERANCE_SECONDS = 30;

/**
 * TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s, what every authenticator app reads). The
 * secret is kept only encrypted, with AES-256-GCM under a key derived from the server's signing
 * key (HKDF, its own purpose), so a copy of the database alone gives nobody a code.
 */
export function createTotp(signingKey: Buffer) {
  const key = Buffer.from(hkdfSync('sha256', signingKey, Buffer.alloc(0), 'yoyaku staff totp secret v1', 32));

  function seal(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), sealed.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  function open(box: string): string {
    const [version, iv, sealed, tag] = box.split('.');
    if (version !== 'v1' || !iv || !sealed || !tag) throw new Error('unreadable TOTP secret');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
  }

  return {
    /** A new random secret (160 bits, base32), sealed for storage. */
    newSecret(): string {
      return seal(generateSecret({ length: 20 }));
    },

    /** What an authenticator app needs: the secret as text, the otpauth:// URI and that URI as a QR code (SVG). */
    async setup(sealed: string, account: string) {
      const secret = open(sealed);
      const otpauthUri = generateURI({ issuer: ISSUER, label: account, secret });
      const qrSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return { secret, otpauthUri, qrSvg };
    },

    /**
     * The time step of a right code, or undefined. `afterStep` is the last step accepted for this
     * account: a code already used (or an older one) is refused, so a code seen over a shoulder
     * cannot be used again.
     */
    async check(sealed: string, code: string, options: { nowMs: number; afterStep: number }): Promise<number | undefined> {
      if (!/^\d{6}$/.test(code)) return undefined;
      let secret: string;
      try {
        secret = open(sealed);
      } catch {
        // Sealed under another signing key (SESSION_SECRET was changed): no code can match.
        return undefined;
      }
      const result = await verify({
        secret,
        token: code,
        epoch: Math.floor(options.nowMs / 1000),
        epochTolerance: TOLERANCE_SECONDS,
        afterTimeStep: options.afterStep,
      });
      return result.valid && 'timeStep' in result ? result.timeStep : undefined;
    },
  };
}

export type Totp = ReturnType<typeof createTotp>;
