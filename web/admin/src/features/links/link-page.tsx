import type { TFunction } from 'i18next';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { ApiProblem, call, client } from '../../api/client';
import type { OpenedLink } from '../../api/types';
import { ErrorSummary, SubmitButton, TextField, fieldId, type FormErrors } from '../../components/form';
import { Page } from '../../components/page';
import { fieldMessage, problemMessage, problemToErrors } from '../../components/problem';
import { Loading } from '../../components/status';
import { useSession } from '../../session/session';
import { RecoveryCodes } from './recovery-codes';

const MIN_PASSWORD = 12;

/** The token after '#': read once, then taken out of the address bar (and of the history). */
function takeToken(): string {
  const token = window.location.hash.slice(1);
  if (token) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  return token;
}

type Opened = { state: 'opening' } | { state: 'failed'; problem: ApiProblem } | { state: 'open'; link: OpenedLink; token: string };

/**
 * A one-time link an administrator handed over: enrolment (choose a password, add the
 * authenticator, keep the recovery codes) or a password reset (a new password, proved with the
 * second factor).
 */
export function LinkPage({ purpose }: { purpose: 'enrolment' | 'password-reset' }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState<Opened>({ state: 'opening' });
  // Read once when the page is made (not in the effect, which development runs twice).
  const [token] = useState(takeToken);

  useEffect(() => {
    if (!token) {
      setOpened({ state: 'failed', problem: new ApiProblem('link-invalid', 404) });
      return;
    }
    call((signal) => client.POST('/api/v1/staff/links/open', { body: { token }, signal })).then(
      (link) => setOpened({ state: 'open', link, token }),
      (error: unknown) => setOpened({ state: 'failed', problem: error instanceof ApiProblem ? error : new ApiProblem('internal', 0) }),
    );
  }, [token]);

  const title = purpose === 'enrolment' ? t('enrol.title') : t('reset.title');
  if (opened.state === 'opening') return <Loading />;
  if (opened.state === 'failed') {
    return (
      <Page title={title}>
        <div className="notice notice-error" role="alert">
          <p>{problemMessage(t, opened.problem)}</p>
        </div>
      </Page>
    );
  }
  return opened.link.totp ? (
    <Enrolment link={opened.link} totp={opened.link.totp} token={opened.token} />
  ) : (
    <PasswordReset link={opened.link} token={opened.token} />
  );
}

function passwordErrors(t: TFunction, password: string, confirm: string): FormErrors {
  const errors: FormErrors = {};
  if (password.length < MIN_PASSWORD) errors[fieldId('password')] = t('enrol.errors.passwordShort', { count: MIN_PASSWORD });
  else if (confirm !== password) errors[fieldId('confirm')] = t('enrol.errors.passwordDiffers');
  return errors;
}

function PasswordFields({
  password,
  confirm,
  setPassword,
  setConfirm,
  errors,
}: {
  password: string;
  confirm: string;
  setPassword: (value: string) => void;
  setConfirm: (value: string) => void;
  errors: FormErrors;
}) {
  const { t } = useTranslation();
  return (
    <>
      <TextField
        id={fieldId('password')}
        label={t('enrol.password')}
        hint={t('enrol.passwordHint', { count: MIN_PASSWORD })}
        type="password"
        autoComplete="new-password"
        value={password}
        error={fieldMessage(errors, 'password')}
        onChange={setPassword}
        width="medium"
      />
      <TextField
        id={fieldId('confirm')}
        label={t('enrol.confirm')}
        type="password"
        autoComplete="new-password"
        value={confirm}
        error={fieldMessage(errors, 'confirm')}
        onChange={setConfirm}
        width="medium"
      />
    </>
  );
}

function Enrolment({ link, totp, token }: { link: OpenedLink; totp: NonNullable<OpenedLink['totp']>; token: string }) {
  const { t } = useTranslation();
  const { started } = useSession();
  const [, navigate] = useLocation();
  const [step, setStep] = useState<'password' | 'authenticator' | 'codes'>('password');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ codes: string[]; finish: () => Promise<void> }>();

  function choosePassword(event: FormEvent) {
    event.preventDefault();
    const found = passwordErrors(t, password, confirm);
    setErrors(found);
    if (Object.keys(found).length === 0) setStep('authenticator');
  }

  async function confirmCode(event: FormEvent) {
    event.preventDefault();
    if (!/^\d{6}$/.test(code.replace(/\s/g, ''))) {
      setErrors({ [fieldId('code')]: t('enrol.errors.code') });
      return;
    }
    setBusy(true);
    try {
      const answer = await call((signal) =>
        client.POST('/api/v1/staff/enrolment', { body: { token, password, code: code.replace(/\s/g, '') }, signal }),
      );
      setErrors({});
      setDone({ codes: answer.recoveryCodes, finish: () => started(answer) });
      setStep('codes');
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem('internal', 0);
      const found = problemToErrors(t, problem, (path) =>
        path === 'password' ? t('enrol.password') : path === 'code' ? t('enrol.code') : undefined,
      );
      // A refused password is fixed on the first page, with the server's reason.
      if (found[fieldId('password')]) setStep('password');
      setCode('');
      setErrors(found);
    } finally {
      setBusy(false);
    }
  }

  if (step === 'codes' && done) {
    return (
      <Page title={t('enrol.codesTitle')}>
        <RecoveryCodes codes={done.codes} />
        <button
          type="button"
          className="button"
          onClick={() => {
            void done.finish().then(() => navigate('/'));
          }}
        >
          {t('enrol.codesDone')}
        </button>
      </Page>
    );
  }

  if (step === 'password') {
    return (
      <Page title={t('enrol.title')} caption={t('enrol.step', { step: 1, of: 2 })} hasErrors={Object.keys(errors).length > 0}>
        <p>{t('enrol.intro', { name: link.displayName || link.email, email: link.email })}</p>
        <ErrorSummary errors={errors} />
        <form onSubmit={choosePassword} noValidate>
          <input type="email" name="username" autoComplete="username" value={link.email} readOnly hidden />
          <PasswordFields password={password} confirm={confirm} setPassword={setPassword} setConfirm={setConfirm} errors={errors} />
          <SubmitButton busy={false}>{t('common.continue')}</SubmitButton>
        </form>
      </Page>
    );
  }

  return (
    <Page title={t('enrol.authenticatorTitle')} caption={t('enrol.step', { step: 2, of: 2 })} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary errors={errors} />
      <ol className="steps">
        <li>{t('enrol.scan')}</li>
        <li>{t('enrol.enterCode')}</li>
      </ol>
      <img
        className="qr"
        src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(totp.qrSvg)}`}
        alt={t('enrol.qrAlt')}
        width={200}
        height={200}
      />
      <p>{t('enrol.secretIntro')}</p>
      <p className="secret" data-testid="totp-secret">
        {totp.secret.replace(/(.{4})(?=.)/g, '$1 ')}
      </p>
      <form onSubmit={(event) => void confirmCode(event)} noValidate>
        <TextField
          id={fieldId('code')}
          label={t('enrol.code')}
          hint={t('enrol.codeHint')}
          inputMode="numeric"
          autoComplete="one-time-code"
          value={code}
          error={fieldMessage(errors, 'code')}
          onChange={setCode}
          width="narrow"
          className="input-digits"
        />
        <SubmitButton busy={busy}>{t('enrol.submit')}</SubmitButton>
      </form>
      <p>
        <button type="button" className="button-text" onClick={() => setStep('password')}>
          {t('enrol.changePassword')}
        </button>
      </p>
    </Page>
  );
}

function PasswordReset({ link, token }: { link: OpenedLink; token: string }) {
  const { t } = useTranslation();
  const { started } = useSession();
  const [, navigate] = useLocation();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = passwordErrors(t, password, confirm);
    if (!code.trim()) found[fieldId('code')] = t('signIn.errors.code');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const answer = await call((signal) =>
        client.POST('/api/v1/staff/password-reset', { body: { token, password, code: code.replace(/\s/g, '') }, signal }),
      );
      await started(answer);
      navigate('/');
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem('internal', 0);
      setErrors(
        problemToErrors(t, problem, (path) => (path === 'password' ? t('enrol.password') : path === 'code' ? t('signIn.code') : undefined)),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={t('reset.title')} hasErrors={Object.keys(errors).length > 0}>
      <p>{t('reset.intro', { email: link.email })}</p>
      <ErrorSummary errors={errors} />
      <form onSubmit={(event) => void submit(event)} noValidate>
        <input type="email" name="username" autoComplete="username" value={link.email} readOnly hidden />
        <PasswordFields password={password} confirm={confirm} setPassword={setPassword} setConfirm={setConfirm} errors={errors} />
        <TextField
          id={fieldId('code')}
          label={t('signIn.code')}
          hint={t('signIn.codeHint')}
          autoComplete="one-time-code"
          value={code}
          error={fieldMessage(errors, 'code')}
          onChange={setCode}
          width="narrow"
          className="input-digits"
        />
        <SubmitButton busy={busy}>{t('reset.submit')}</SubmitButton>
      </form>
    </Page>
  );
}
