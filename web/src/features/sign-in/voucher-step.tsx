import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { api } from '../../api/client';
import type { SignInStarted } from '../../api/types';
import { BirthDateField } from '../../components/birth-date-field';
import { ErrorSummary, SubmitButton } from '../../components/form';
import { BackLink, Page } from '../../components/page';
import { useVoucherProof } from '../../components/use-voucher-proof';
import { VoucherField } from '../../components/voucher-field';
import { useMunicipality } from '../../session/municipality';
import { saveChallenge } from './challenge';
import { journeyStep } from '../journey-step';

/** Step 1 of 3: the voucher number and birth date must match a resident the municipality imported. */
export function VoucherStep() {
  const { t } = useTranslation();
  const municipality = useMunicipality();
  const [, navigate] = useLocation();
  const form = useVoucherProof(async (proof) => {
    const challenge = await api<SignInStarted>('POST', '/auth/voucher', {
      municipalityCode: municipality.code,
      ...proof,
    });
    saveChallenge(challenge);
    navigate('/sign-in/phone');
  });

  return (
    <Page title={t('signIn.voucherTitle')} caption={journeyStep(t, 'voucher')} hasErrors={Object.keys(form.errors).length > 0}>
      <BackLink href="/" />
      <ErrorSummary errors={form.errors} />
      <form onSubmit={form.submit} noValidate>
        <VoucherField
          id="voucher"
          value={form.voucher}
          onChange={form.setVoucher}
          error={form.errors.voucher}
          municipalityCode={municipality.code}
        />
        <BirthDateField id="birth" value={form.birth} onChange={form.setBirth} error={form.errors.birth} />
        <SubmitButton busy={form.busy}>{t('common.continue')}</SubmitButton>
      </form>
    </Page>
  );
}
