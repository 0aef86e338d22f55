import { isValidMunicipalityCode } from '../municipalities/index.js';

/** A voucher number (券番号): exactly 10 digits, unique only within its municipality. */
export function isVoucherNumber(value: string): boolean {
  return /^\d{10}$/.test(value);
}

/** Strips the spaces and hyphens people type when copying the grouped number from paper. */
export function normaliseVoucherNumber(value: string): string {
  return value.normalize('NFKC').replace(/[\s\-‐－ー]/g, '');
}

export interface VoucherCode {
  ticketKind: number;
  doseCount: number;
  municipalityCode: string;
  voucherNumber: string;
}

/**
 * Reads the 18 digits of a voucher's OCR line or QR code:
 * ticket kind (1) + dose count (1) + municipality code (6) + voucher number (10).
 */
export function parseVoucherCode(raw: string): VoucherCode | undefined {
  const digits = normaliseVoucherNumber(raw);
  if (!/^\d{18}$/.test(digits)) return undefined;
  const municipalityCode = digits.slice(2, 8);
  if (!isValidMunicipalityCode(municipalityCode)) return undefined;
  return {
    ticketKind: Number(digits[0]),
    doseCount: Number(digits[1]),
    municipalityCode,
    voucherNumber: digits.slice(8),
  };
}
