import { useEffect, useRef, useState } from 'react';
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
import { Loading } from '../../components/status';
import { journeyStep } from '../journey-step';

/** Step 1 of 3: the voucher number and birth date must match a resident the municipality imported. */
export function VoucherStep() {
  const { t } = useTranslation();
  const municipality = useMunicipality();
  const [, navigate] = useLocation();
  const start = async (proof: { voucherNumber: string; birthDate: string }) => {
    const challenge = await api<SignInStarted>('POST', '/auth/voucher', { municipalityCode: municipality.code, ...proof });
    saveChallenge(challenge);
    navigate('/sign-in/phone', { replace: true });
  };
  const form = useVoucherProof(start);
  /**
   * Coming from the waiting room, the voucher and birth date were proven there (in this tab):
   * they are not asked again. Read once and forgotten; if the check fails, the form is shown.
   */
  const [fromQueue] = useState(() => takeQueueProof(municipality.code));
  const [checking, setChecking] = useState(fromQueue !== undefined);
  const started = useRef(false);
  useEffect(() => {
    if (!fromQueue || started.current) return;
    started.current = true;
    start(fromQueue).catch(() => setChecking(false));
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  if (checking) return <Loading />;

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

/** What the waiting page keeps for this tab once its voucher check passed (web/waiting-room). */
function takeQueueProof(municipalityCode: string): { voucherNumber: string; birthDate: string } | undefined {
  try {
    const raw = sessionStorage.getItem('yoyaku.queueProof');
    sessionStorage.removeItem('yoyaku.queueProof');
    const proof = raw ? (JSON.parse(raw) as { m?: string; voucherNumber?: string; birthDate?: string }) : undefined;
    if (proof?.m !== municipalityCode || typeof proof.voucherNumber !== 'string' || typeof proof.birthDate !== 'string') return undefined;
    return { voucherNumber: proof.voucherNumber, birthDate: proof.birthDate };
  } catch {
    return undefined;
  }
}
