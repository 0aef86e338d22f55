import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '../api/client';
import { emptyBirthDate, readBirthDate } from './birth-date-field';
import type { FormErrors } from './form';
import { problemToErrors } from './problem-message';

export interface VoucherProof {
  voucherNumber: string;
  birthDate: string;
}

/**
 * The form that proves who someone is with their voucher number and birth date (signing in,
 * adding a family member): checks both on submit, keeps what was typed, and puts the server's
 * refusal beside the field it concerns or at the top.
 */
export function useVoucherProof(send: (proof: VoucherProof) => Promise<void>) {
  const { t } = useTranslation();
  const [voucher, setVoucher] = useState('');
  const [birth, setBirth] = useState(emptyBirthDate);
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FormErrors = {};
    if (voucher.length !== 10) found.voucher = t('voucher.errorLength');
    const birthDate = readBirthDate(t, birth);
    if (birthDate.error) found.birth = birthDate.error;
    setErrors(found);
    if (Object.keys(found).length > 0 || !birthDate.date) return;
    setBusy(true);
    try {
      await send({ voucherNumber: voucher, birthDate: birthDate.date });
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem('internal', 0);
      // The server does not say which of the two did not match (that would help guessing); the
      // message sits by the number, the first thing to check, and names both.
      if (problem.code === 'sign-in-failed') {
        setErrors({ voucher: t('voucher.notFound') });
        return;
      }
      setErrors(
        problemToErrors(t, problem, {
          voucherNumber: { id: 'voucher', message: t('voucher.errorLength') },
          birthDate: { id: 'birth', message: t('birthDate.errors.no-such-date') },
        }),
      );
    } finally {
      setBusy(false);
    }
  }

  return { voucher, setVoucher, birth, setBirth, errors, busy, submit };
}
