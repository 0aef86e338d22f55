import { describe, expect, it } from 'vitest';
import { normalisePhone, phoneRegionOf } from './phone.js';

describe('mobile numbers', () => {
  it('writes every spelling of one Japanese handset as one E.164 number', () => {
    for (const typed of [
      '090-1234-5678',
      '09012345678',
      '+819012345678',
      '+81 90 1234 5678',
      '+81090-1234-5678',
      '0081 90 1234 5678',
      '010-81-90-1234-5678',
      '０９０－１２３４－５６７８',
      '(090) 1234-5678',
    ]) {
      expect(normalisePhone(typed, 'JP'), typed).toBe('+819012345678');
    }
  });

  it('accepts only numbers that can receive a text', () => {
    expect(normalisePhone('070-1234-5678', 'JP')).toBe('+817012345678');
    expect(normalisePhone('080-1234-5678', 'JP')).toBe('+818012345678');
    expect(normalisePhone('03-1234-5678', 'JP')).toBeUndefined(); // a Tokyo fixed line
    expect(normalisePhone('050-1234-5678', 'JP')).toBeUndefined(); // an IP phone
    expect(normalisePhone('0120-123-456', 'JP')).toBeUndefined(); // toll-free
    expect(normalisePhone('090-0123-4567', 'JP')).toBeUndefined(); // no such mobile range
    expect(normalisePhone('090-1234-567', 'JP')).toBeUndefined();
    expect(normalisePhone('090 1234 5678 ext 1', 'JP')).toBeUndefined();
  });

  it('reads national numbers in the municipality’s region', () => {
    expect(phoneRegionOf('Asia/Tokyo')).toBe('JP');
    expect(phoneRegionOf('Asia/Seoul')).toBe('KR');
    expect(phoneRegionOf('Not/AZone')).toBe('JP');
    expect(normalisePhone('010-1234-5678', 'KR')).toBe('+821012345678');
    expect(normalisePhone('010-1234-5678', 'JP')).toBeUndefined();
    // A Japanese mobile typed in full is the same phone wherever the municipality is.
    expect(normalisePhone('+81 90-1234-5678', 'KR')).toBe('+819012345678');
  });
});
