import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { api } from '../../api/client';
import type { Person } from '../../api/types';
import { BirthDateField } from '../../components/birth-date-field';
import { ErrorSummary, SubmitButton } from '../../components/form';
import { BackLink, Page } from '../../components/page';
import { useVoucherProof } from '../../components/use-voucher-proof';
import { VoucherField } from '../../components/voucher-field';
import { useMunicipality } from '../../session/municipality';
import { useSession } from '../../session/session';

/** Add a parent or child: proven by their own voucher number and birth date. */
export function AddFamilyPage() {
  const { t } = useTranslation();
  const municipality = useMunicipality();
  const session = useSession();
  const [, navigate] = useLocation();
  const form = useVoucherProof(async (proof) => {
    await api<Person>('POST', '/me/family', proof);
    await session.reload();
    navigate('/reservations?notice=familyAdded');
  });

  return (
    <Page title={t('family.title')} hasErrors={Object.keys(form.errors).length > 0}>
      <BackLink href="/reservations" />
      <ErrorSummary errors={form.errors} />
      <p>{t('family.intro')}</p>
      <form onSubmit={form.submit} noValidate>
        <VoucherField
          id="voucher"
          value={form.voucher}
          onChange={form.setVoucher}
          error={form.errors.voucher}
          municipalityCode={municipality.code}
        />
        <BirthDateField id="birth" value={form.birth} onChange={form.setBirth} error={form.errors.birth} legend={t('family.birthLegend')} />
        <SubmitButton busy={form.busy}>{t('family.submit')}</SubmitButton>
      </form>
    </Page>
  );
}
