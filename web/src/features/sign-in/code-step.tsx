import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Redirect, useLocation } from 'wouter';
import { api, ApiProblem, setCsrfToken } from '../../api/client';
import type { Me, SignedIn } from '../../api/types';
import { ErrorSummary, FORM, SubmitButton, TextField, type FormErrors } from '../../components/form';
import { BackLink, Page } from '../../components/page';
import { problemMessage, problemToErrors } from '../../components/problem-message';
import { useSession } from '../../session/session';
import { loadChallenge, saveChallenge } from './challenge';
import { calmMinutes, useSecondsLeft } from './countdown';
import { localeOf } from '../../i18n/format';
import { sendCode } from './phone-step';
import { WaitingRoomLink } from './waiting-room-link';
import { journeyStep } from '../journey-step';

const WARN_SECONDS = 120;

/**
 * Step 3 of 3: the 6-digit code. The 10 minutes are counted down on screen, with a warning and a
 * one-tap resend before they run out (nothing typed is lost by resending).
 */
export function CodeStep() {
  const { t, i18n } = useTranslation();
  const [, navigate] = useLocation();
  const session = useSession();
  const [challenge, setChallenge] = useState(loadChallenge);
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});
  const [problemCode, setProblemCode] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const codeLeft = useSecondsLeft(challenge?.codeExpiresAt);
  const resendLeft = useSecondsLeft(challenge?.resendAvailableAt);
  if (!challenge?.codeExpiresAt || !challenge.phone) return <Redirect to="/sign-in" replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const digits = code.normalize('NFKC').replace(/\D/g, '');
    if (digits.length !== 6) {
      setErrors({ code: t('code.error') });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const verified = await api<SignedIn>('POST', '/auth/verify', { challengeId: challenge!.challengeId, code: digits });
      setCsrfToken(verified.csrfToken);
      saveChallenge(undefined);
      const [me] = await Promise.all([api<Me>('GET', '/me'), session.reload()]);
      // Nothing booked yet and a dose due (and nobody else to book for): straight to the venues.
      const firstBooking = me.account.changes.length === 0 && me.account.nextDose !== null && me.family.length === 0;
      navigate(firstBooking ? '/book' : '/reservations');
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem('internal', 0);
      setProblemCode(problem.code);
      // By now the voucher has been checked: a refusal here is about the code, so it goes by the code.
      if (problem.code === 'sign-in-failed') setErrors({ code: t('code.wrong') });
      else if (problem.code === 'code-expired') setErrors({ code: problemMessage(t, problem) });
      else setErrors(problemToErrors(t, problem, { code: { id: 'code', message: t('code.error') } }));
    } finally {
      setBusy(false);
    }
  }

  async function resend() {
    setNotice(undefined);
    try {
      setChallenge(await sendCode(challenge!, challenge!.phone!));
      setErrors({});
      setNotice(t('code.resent'));
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem('internal', 0);
      setProblemCode(problem.code);
      setErrors({ [FORM]: problemMessage(t, problem) });
    }
  }

  return (
    <Page title={t('code.title')} caption={journeyStep(t, 'code')} hasErrors={Object.keys(errors).length > 0}>
      <BackLink href="/sign-in/phone" label={t('code.changePhone')} />
      <ErrorSummary errors={errors} />
      {errors[FORM] && problemCode === 'admission-required' && <WaitingRoomLink />}
      <p>{t('code.sentTo', { last4: challenge.phoneLast4 })}</p>
      <p className={`countdown${codeLeft <= WARN_SECONDS ? ' countdown-warning' : ''}`}>
        {codeLeft > 0 ? t('code.timeLeft', { time: calmMinutes(localeOf(i18n.language), codeLeft) }) : t('code.expired')}
      </p>
      <div role="status" aria-live="polite">
        {codeLeft > 0 && codeLeft <= WARN_SECONDS && <p className="notice">{t('code.warning')}</p>}
        {notice && <p className="notice notice-success">{notice}</p>}
      </div>
      <form onSubmit={submit} noValidate>
        <TextField
          id="code"
          label={t('code.label')}
          hint={t('code.hint')}
          error={errors.code}
          value={code}
          onChange={setCode}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={10}
          width="narrow"
          className="input-digits"
        />
        <SubmitButton busy={busy}>{t('code.submit')}</SubmitButton>
      </form>
      <h2>{t('code.noCodeTitle')}</h2>
      <p>{t('code.noCodeText')}</p>
      <button type="button" className="button button-secondary" onClick={() => void resend()} disabled={resendLeft > 0}>
        {resendLeft > 0 ? t('code.resendIn', { seconds: resendLeft }) : t('code.resend')}
      </button>
    </Page>
  );
}
