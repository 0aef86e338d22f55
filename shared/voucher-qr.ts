/**
 * The 18 digits of a vaccination voucher's QR code (docs/domain.md): ticket kind (1) + dose count (1)
 * + municipality code (6) + voucher number (10). Reading it fills the voucher field; a voucher of
 * another municipality is told apart, since the resident then opened the wrong site.
 */
export type VoucherQrReading =
  | { ok: true; ticketKind: string; doseCount: number; municipalityCode: string; voucherNumber: string }
  | { ok: false; reason: 'not-a-voucher' | 'other-municipality' };

export function readVoucherQr(raw: string, expectedMunicipality: string): VoucherQrReading {
  // Scanners may hand over full-width digits or spaces; nothing else may be in the code.
  const value = raw.normalize('NFKC').replace(/\s/g, '');
  if (!/^\d{18}$/.test(value)) return { ok: false, reason: 'not-a-voucher' };
  const municipalityCode = value.slice(2, 8);
  if (municipalityCode !== expectedMunicipality) return { ok: false, reason: 'other-municipality' };
  return { ok: true, ticketKind: value[0]!, doseCount: Number(value[1]), municipalityCode, voucherNumber: value.slice(8) };
}
