import { describe, expect, it } from 'vitest';
import { randomToken } from './secrets.js';

describe('randomToken', () => {
  it('gives 10,000 different tokens of the asked length, across many pages of the pool', () => {
    const tokens = Array.from({ length: 10_000 }, (_, i) => randomToken(i % 3 === 0 ? 32 : 18));
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const [i, token] of tokens.entries()) {
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(i % 3 === 0 ? 32 : 18);
    }
  });

  it('draws large tokens straight from the CSPRNG, and they differ too', () => {
    const [a, b] = [randomToken(2048), randomToken(2048)];
    expect(Buffer.from(a, 'base64url')).toHaveLength(2048);
    expect(a).not.toBe(b);
  });

  it('looks random: every byte value appears over 200,000 bytes, none far from its share', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 200_000 / 20; i++) for (const byte of Buffer.from(randomToken(20), 'base64url')) counts[byte]!++;
    // 781 expected per value; a bias of the pooling (a byte handed out twice, a page reused) would show.
    expect(Math.min(...counts)).toBeGreaterThan(600);
    expect(Math.max(...counts)).toBeLessThan(980);
  });

  it('refuses a size that is not a positive whole number, leaving the pool as it was', () => {
    for (const size of [0, -6, 1.5, Number.NaN]) expect(() => randomToken(size)).toThrow(RangeError);
    expect(Buffer.from(randomToken(), 'base64url')).toHaveLength(18);
  });
});
