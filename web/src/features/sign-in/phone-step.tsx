import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Redirect, useLocation } from 'wouter';
import { api, ApiProblem } from '../../api/client';
import type { CodeSent } from '../../api/types';
import { ErrorSummary, FORM, SubmitButton, TextField, type FormErrors } from '../../components/form';
import { BackLink, Page } from '../../components/page';
import { problemToErrors } from '../../components/problem-message';
import { WaitingRoomLink } from './waiting-room-link';
import { isPlausibleMobile, loadChallenge, phoneDigits, saveChallenge, type Challenge } from './challenge';
import { journeyStep } from '../journey-step';

/** Sends (or sends again) the SMS code for a challenge; both steps 2 and 3 use it. */
export async function sendCode(challenge: Challenge, phone: string): Promise<Challenge> {
  const sent = await api<CodeSent>('POST', '/auth/sms', { challengeId: challenge.challengeId, phone: phoneDigits(phone) });
  const next = { ...challenge, phone, ...sent };
  saveChallenge(next);
  return next;
}

/** Step 2 of 3: the mobile number that receives the code. */
export function PhoneStep() {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const [challenge] = useState(loadChallenge);
  const [phone, setPhone] = useState(challenge?.phone ?? '');
  const [errors, setErrors] = useState<FormErrors>({});
  const [problemCode, setProblemCode] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (!challenge) return <Redirect to="/sign-in" replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!isPlausibleMobile(phone)) {
      setErrors({ phone: t('phone.error') });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await sendCode(challenge!, phone);
      navigate('/sign-in/code');
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem('internal', 0);
      setProblemCode(problem.code);
      setErrors(problemToErrors(t, problem, { phone: { id: 'phone', message: t('phone.error') } }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={t('phone.title')} caption={journeyStep(t, 'phone')} hasErrors={Object.keys(errors).length > 0}>
      <BackLink href="/sign-in" />
      <ErrorSummary errors={errors} />
      {errors[FORM] && problemCode === 'admission-required' && <WaitingRoomLink />}
      <form onSubmit={submit} noValidate>
        <TextField
          id="phone"
          type="tel"
          autoComplete="tel"
          inputMode="tel"
          label={t('phone.label')}
          hint={t('phone.hint')}
          error={errors.phone}
          value={phone}
          onChange={setPhone}
          width="medium"
          maxLength={24}
        />
        <SubmitButton busy={busy}>{t('phone.send')}</SubmitButton>
      </form>
    </Page>
  );
}
