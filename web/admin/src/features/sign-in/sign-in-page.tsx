import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, call, client } from '../../api/client';
import { ErrorSummary, FORM, SubmitButton, TextField, type FormErrors } from '../../components/form';
import { Page } from '../../components/page';
import { problemMessage } from '../../components/problem';
import { useSession } from '../../session/session';

/**
 * E-mail, password and the authenticator's code (or a recovery code) in one form: the server
 * never says which of them was wrong, so neither does this page.
 */
export function SignInPage({ ended }: { ended: boolean }) {
  const { t } = useTranslation();
  const { started } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const missing: FormErrors = {};
    if (!email.trim()) missing.email = t('signIn.errors.email');
    if (!password) missing.password = t('signIn.errors.password');
    if (!code.trim()) missing.code = t('signIn.errors.code');
    setErrors(missing);
    if (Object.keys(missing).length > 0) return;
    setBusy(true);
    try {
      const answer = await call((signal) =>
        client.POST('/api/v1/staff/sign-in', { body: { email: email.trim(), password, code: code.replace(/\s/g, '') }, signal }),
      );
      await started(answer);
    } catch (error) {
      setErrors({ [FORM]: problemMessage(t, error instanceof ApiProblem ? error : new ApiProblem('internal', 0)) });
      setCode('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={t('signIn.title')} hasErrors={Object.keys(errors).length > 0}>
      {ended && (
        <div className="notice" role="status">
          <p>{t('signIn.ended')}</p>
        </div>
      )}
      <ErrorSummary errors={errors} />
      <form onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          id="email"
          label={t('signIn.email')}
          type="email"
          autoComplete="username"
          spellCheck={false}
          value={email}
          error={errors.email}
          onChange={setEmail}
          width="medium"
        />
        <TextField
          id="password"
          label={t('signIn.password')}
          type="password"
          autoComplete="current-password"
          value={password}
          error={errors.password}
          onChange={setPassword}
          width="medium"
        />
        <TextField
          id="code"
          label={t('signIn.code')}
          hint={t('signIn.codeHint')}
          autoComplete="one-time-code"
          inputMode="text"
          spellCheck={false}
          autoCapitalize="off"
          value={code}
          error={errors.code}
          onChange={setCode}
          width="narrow"
          className="input-digits"
        />
        <SubmitButton busy={busy}>{t('signIn.submit')}</SubmitButton>
      </form>
      <p className="hint">{t('signIn.help')}</p>
    </Page>
  );
}
