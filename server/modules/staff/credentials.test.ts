import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { newRecoveryCode, normaliseRecoveryCode, recoveryCodeHash } from './recovery-codes.js';
import { createTotp } from './totp.js';

const key = Buffer.from('a signing key of at least thirty-two bytes');

describe('passwords', () => {
  it('refuses short ones and common ones, also when padded to 12 characters, and accepts a phrase', () => {
    expect(passwordProblem('Tr0ub4dor&3', [])).toEqual({ rule: 'minLength', limit: 12 });
    for (const common of ['password1234', 'qwertyuiop12', 'iloveyou1234', 'aaaaaaaaaaaa', '123456789012']) {
      expect(passwordProblem(common, []), common).toEqual({ rule: 'passwordTooCommon' });
    }
    expect(passwordProblem('hanako.yamada2026', ['hanako.yamada@city.example.jp', '山田 花子'])).toEqual({ rule: 'passwordTooCommon' });
    expect(passwordProblem('lantern 4f1c orchard violet', [])).toBeUndefined();
  });

  it('hashes with argon2id and verifies; an account without a hash never verifies', async () => {
    const hashed = await hashPassword('lantern 4f1c orchard violet');
    expect(hashed).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hashed, 'lantern 4f1c orchard violet')).toBe(true);
    expect(await verifyPassword(hashed, 'lantern 4f1c orchard violeT')).toBe(false);
    expect(await verifyPassword(null, 'anything at all')).toBe(false);
  });
});

describe('TOTP', () => {
  const totp = createTotp(key);

  it('keeps the secret sealed (never in clear) and opens it only with the same key', async () => {
    const sealed = totp.newSecret();
    const { secret } = await totp.setup(sealed, 'a@example.org');
    expect(sealed).not.toContain(secret);
    const code = await generate({ secret, epoch: 1_800_000_000 });
    expect(
      await createTotp(Buffer.from('another key, also long enough to pass')).check(sealed, code, {
        nowMs: 1_800_000_000_000,
        afterStep: 0,
      }),
    ).toBeUndefined();
    expect(await totp.check(sealed, code, { nowMs: 1_800_000_000_000, afterStep: 0 })).toBe(Math.floor(1_800_000_000 / 30));
  });

  it('takes a code of the step before or after, not older, and none at or before the last step used', async () => {
    const sealed = totp.newSecret();
    const { secret } = await totp.setup(sealed, 'a@example.org');
    const now = 1_800_000_015_000;
    const step = Math.floor(now / 30_000);
    const at = (s: number) => generate({ secret, epoch: s * 30 });
    expect(await totp.check(sealed, await at(step - 1), { nowMs: now, afterStep: 0 })).toBe(step - 1);
    expect(await totp.check(sealed, await at(step + 1), { nowMs: now, afterStep: 0 })).toBe(step + 1);
    expect(await totp.check(sealed, await at(step - 2), { nowMs: now, afterStep: 0 })).toBeUndefined();
    expect(await totp.check(sealed, await at(step), { nowMs: now, afterStep: step })).toBeUndefined();
  });

  it('offers the secret as an otpauth URI and a QR code in SVG', async () => {
    const setup = await totp.setup(totp.newSecret(), 'hanako@city.example.jp');
    expect(setup.otpauthUri).toBe(`otpauth://totp/Yoyaku:hanako%40city.example.jp?secret=${setup.secret}&issuer=Yoyaku`);
    expect(setup.qrSvg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>.*<\/svg>\s*$/s);
    expect(setup.qrSvg).not.toMatch(/<script|on\w+=/i);
  });
});

describe('recovery codes', () => {
  it('are ten characters of Crockford base32, read back whatever the case, spaces and look-alike letters', () => {
    const code = newRecoveryCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(normaliseRecoveryCode(code.toLowerCase().replace('-', ' '))).toBe(code.replace('-', ''));
    expect(normaliseRecoveryCode('ABCDE-O1IL0')).toBe('ABCDE01110');
    expect(normaliseRecoveryCode('ABCDE-FGHU1')).toBeUndefined();
    expect(normaliseRecoveryCode('123456')).toBeUndefined();
  });

  it('are stored as keyed hashes, per account', () => {
    const normalised = normaliseRecoveryCode(newRecoveryCode())!;
    expect(recoveryCodeHash(key, 1, normalised)).not.toBe(recoveryCodeHash(key, 2, normalised));
    expect(recoveryCodeHash(key, 1, normalised)).not.toContain(normalised);
  });
});
