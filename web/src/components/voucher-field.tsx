import { lazy, Suspense, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { canScanVoucher } from '../../shared/can-scan';
import { TextField } from './form';

const VoucherScanner = lazy(() => import('./voucher-scanner'));

/** Digits only (full-width allowed), at most 10. */
export function voucherDigits(value: string): string {
  return value.normalize('NFKC').replace(/\D/g, '').slice(0, 10);
}

/** Shown in groups of 4-3-3 so a long number is easy to compare with the paper. */
export function groupVoucher(value: string): string {
  const digits = voucherDigits(value);
  return [digits.slice(0, 4), digits.slice(4, 7), digits.slice(7)].filter(Boolean).join(' ');
}

/** The position in `grouped` just after its `count`-th digit (the start for 0). */
export function caretAfterDigits(grouped: string, count: number): number {
  if (count === 0) return 0;
  let seen = 0;
  for (let i = 0; i < grouped.length; i++) if (/\d/.test(grouped[i]!) && ++seen === count) return i + 1;
  return grouped.length;
}

export { canScanVoucher };

/**
 * The voucher number (券番号): numeric keypad, grouped digits, a picture of where it is printed,
 * and, on phones whose browser can read QR codes, a camera button that fills it in.
 */
export function VoucherField({
  id,
  value,
  onChange,
  error,
  municipalityCode,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  municipalityCode: string;
}) {
  const { t } = useTranslation();
  const [scanning, setScanning] = useState(false);
  // Regrouping the digits as they are typed would throw the caret to the end: someone fixing one
  // digit in the middle would then type the rest in the wrong place. Keep it after the same digit.
  const digitsBeforeCaret = useRef<number | null>(null);
  useLayoutEffect(() => {
    const input = document.getElementById(id) as HTMLInputElement | null;
    if (digitsBeforeCaret.current === null || !input || document.activeElement !== input) return;
    const at = caretAfterDigits(groupVoucher(value), digitsBeforeCaret.current);
    input.setSelectionRange(at, at);
    digitsBeforeCaret.current = null;
  }, [id, value]);
  return (
    <>
      <TextField
        id={id}
        label={t('voucher.label')}
        hint={
          <>
            {t('voucher.hint')}
            <details className="details">
              <summary>{t('voucher.whereTitle')}</summary>
              <VoucherPicture />
              <p>{t('voucher.whereText')}</p>
            </details>
          </>
        }
        error={error}
        value={groupVoucher(value)}
        onChange={(typed) => {
          const input = document.getElementById(id) as HTMLInputElement | null;
          digitsBeforeCaret.current = voucherDigits(typed.slice(0, input?.selectionStart ?? typed.length)).length;
          onChange(voucherDigits(typed));
        }}
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        maxLength={16}
        width="medium"
        className="input-digits"
      />
      {canScanVoucher() &&
        (scanning ? (
          <Suspense fallback={null}>
            <VoucherScanner
              municipalityCode={municipalityCode}
              onNumber={(number) => {
                onChange(number);
                setScanning(false);
              }}
              onClose={() => setScanning(false)}
            />
          </Suspense>
        ) : (
          <button type="button" className="button button-secondary" onClick={() => setScanning(true)}>
            {t('voucher.scan')}
          </button>
        ))}
    </>
  );
}

/** A schematic voucher with the number's place highlighted (no real voucher is reproduced). */
function VoucherPicture() {
  const { t } = useTranslation();
  return (
    <svg className="voucher-picture" viewBox="0 0 320 150" role="img" aria-label={t('voucher.pictureLabel')}>
      <rect x="1" y="1" width="318" height="148" rx="6" fill="#fff" stroke="#555" strokeWidth="2" />
      <text x="14" y="28" fontSize="15" fill="#222">
        {t('voucher.pictureTitle')}
      </text>
      <rect x="10" y="44" width="200" height="34" rx="4" fill="#fff3b0" stroke="#b35c00" strokeWidth="3" />
      <text x="18" y="66" fontSize="14" fill="#222">
        {t('voucher.pictureNumber')} 1234567890
      </text>
      <rect x="232" y="40" width="72" height="72" fill="#fff" stroke="#555" />
      <path d="M240 48h16v16h-16zM280 48h16v16h-16zM240 88h16v16h-16zM266 70h8v8h-8zM284 84h8v14h-8z" fill="#333" />
      <text x="232" y="130" fontSize="11" fill="#444">
        QR
      </text>
      <rect x="10" y="92" width="200" height="10" fill="#ddd" />
      <rect x="10" y="110" width="150" height="10" fill="#ddd" />
    </svg>
  );
}
