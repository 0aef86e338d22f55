import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ApiProblem, call, client } from '../../api/client';
import type { Invited, Role } from '../../api/types';
import { ErrorSummary, SelectField, SubmitButton, TextField, fieldId, type FormErrors } from '../../components/form';
import { BackLink, Page } from '../../components/page';
import { fieldMessage, problemToErrors } from '../../components/problem';
import { IssuedLink } from './issued-link';
import { RoleCheckboxes } from './role-checkboxes';

/** Gives someone roles here; a new address gets an account and an enrolment link to hand over. */
export function InvitePage({ code }: { code: string }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [language, setLanguage] = useState<'ja' | 'en'>('ja');
  const [roles, setRoles] = useState<Role[]>([]);
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const [invited, setInvited] = useState<Invited>();

  const labels: Record<string, string> = { email: t('accounts.email'), displayName: t('accounts.name'), roles: t('accounts.roles') };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FormErrors = {};
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) found[fieldId('email')] = t('accounts.errors.email');
    if (!displayName.trim()) found[fieldId('displayName')] = t('accounts.errors.name');
    if (roles.length === 0) found[fieldId('roles')] = t('accounts.errors.roles');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const answer = await call((signal) =>
        client.POST('/api/v1/staff/municipalities/{municipalityCode}/accounts', {
          params: { path: { municipalityCode: code } },
          body: { email: email.trim(), displayName: displayName.trim(), language, roles },
          signal,
        }),
      );
      setInvited(answer);
    } catch (error) {
      setErrors(
        problemToErrors(t, error instanceof ApiProblem ? error : new ApiProblem('internal', 0), (path) => labels[path.split('.')[0]!]),
      );
    } finally {
      setBusy(false);
    }
  }

  if (invited) {
    return (
      <Page title={t('accounts.invitedTitle')}>
        <p>{t('accounts.invitedText', { name: invited.account.displayName, email: invited.account.email })}</p>
        {invited.link ? <IssuedLink link={invited.link} /> : <p>{t('accounts.invitedExisting')}</p>}
        <p>
          <Link href={`/m/${code}/accounts`} className="link-block">
            {t('accounts.backToList')}
          </Link>
        </p>
      </Page>
    );
  }

  return (
    <Page title={t('accounts.inviteTitle')} hasErrors={Object.keys(errors).length > 0}>
      <BackLink href={`/m/${code}/accounts`} />
      <ErrorSummary errors={errors} />
      <form onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          id={fieldId('email')}
          label={t('accounts.email')}
          type="email"
          autoComplete="off"
          spellCheck={false}
          value={email}
          error={fieldMessage(errors, 'email')}
          onChange={setEmail}
          width="medium"
        />
        <TextField
          id={fieldId('displayName')}
          label={t('accounts.name')}
          autoComplete="off"
          value={displayName}
          error={fieldMessage(errors, 'displayName')}
          onChange={setDisplayName}
          width="medium"
        />
        <SelectField
          id={fieldId('language')}
          label={t('accounts.language')}
          value={language}
          options={[
            { value: 'ja', label: '日本語' },
            { value: 'en', label: 'English' },
          ]}
          onChange={(value) => setLanguage(value === 'en' ? 'en' : 'ja')}
        />
        <RoleCheckboxes roles={roles} onChange={setRoles} error={fieldMessage(errors, 'roles')} />
        <SubmitButton busy={busy}>{t('accounts.inviteSubmit')}</SubmitButton>
      </form>
    </Page>
  );
}
