import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { api, ApiProblem } from '../../api/client';
import { BirthDateField, emptyBirthDate, readBirthDate } from '../../components/birth-date-field';
import { ErrorSummary, SubmitButton, type FormErrors } from '../../components/form';
import { BackLink, Page } from '../../components/page';
import { problemToErrors } from '../../components/problem-message';
import { VoucherField } from '../../components/voucher-field';
import { useMunicipality } from '../../session/municipality';
import { saveChallenge } from './challenge';

/** Step 1 of 3: the voucher number and birth date must match a resident the municipality imported. */
export function VoucherStep() {
  const { t } = useTranslation();
  const municipality = useMunicipality();
  const [, navigate] = useLocation();
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
      const challenge = await api<{ challengeId: string; expiresAt: string }>('POST', '/auth/voucher', {
        municipalityCode: municipality.code,
        voucherNumber: voucher,
        birthDate: birthDate.date,
      });
      saveChallenge(challenge);
      navigate('/sign-in/phone');
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem('internal', 0);
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

  return (
    <Page title={t('signIn.voucherTitle')} caption={t('signIn.step', { step: 1, of: 3 })} hasErrors={Object.keys(errors).length > 0}>
      <BackLink href="/" />
      <ErrorSummary errors={errors} />
      <form onSubmit={submit} noValidate>
        <VoucherField id="voucher" value={voucher} onChange={setVoucher} error={errors.voucher} municipalityCode={municipality.code} />
        <BirthDateField id="birth" value={birth} onChange={setBirth} error={errors.birth} />
        <SubmitButton busy={busy}>{t('common.continue')}</SubmitButton>
      </form>
    </Page>
  );
}
