import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { api, ApiProblem } from '../../api/client';
import type { Person } from '../../api/types';
import { BirthDateField, emptyBirthDate, readBirthDate } from '../../components/birth-date-field';
import { ErrorSummary, SubmitButton, type FormErrors } from '../../components/form';
import { BackLink, Page } from '../../components/page';
import { problemToErrors } from '../../components/problem-message';
import { VoucherField } from '../../components/voucher-field';
import { useMunicipality } from '../../session/municipality';
import { useSession } from '../../session/session';

/** Add a parent or child: proven by their own voucher number and birth date. */
export function AddFamilyPage() {
  const { t } = useTranslation();
  const municipality = useMunicipality();
  const session = useSession();
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
      await api<Person>('POST', '/me/family', { voucherNumber: voucher, birthDate: birthDate.date });
      await session.reload();
      navigate('/reservations?notice=familyAdded');
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
    <Page title={t('family.title')} hasErrors={Object.keys(errors).length > 0}>
      <BackLink href="/reservations" />
      <ErrorSummary errors={errors} />
      <p>{t('family.intro')}</p>
      <form onSubmit={submit} noValidate>
        <VoucherField id="voucher" value={voucher} onChange={setVoucher} error={errors.voucher} municipalityCode={municipality.code} />
        <BirthDateField id="birth" value={birth} onChange={setBirth} error={errors.birth} legend={t('family.birthLegend')} />
        <SubmitButton busy={busy}>{t('family.submit')}</SubmitButton>
      </form>
    </Page>
  );
}
