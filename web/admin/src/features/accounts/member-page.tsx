import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, call, client } from '../../api/client';
import type { IssuedLink as Link, Role, StaffMember } from '../../api/types';
import { ConfirmButton } from '../../components/confirm-button';
import { ErrorSummary, FORM, SubmitButton, type FormErrors } from '../../components/form';
import { BackLink, Page } from '../../components/page';
import { fieldMessage, problemMessage, problemToErrors } from '../../components/problem';
import { Done, LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { useSession } from '../../session/session';
import { formatInstant } from './format';
import { IssuedLink } from './issued-link';
import { RoleCheckboxes } from './role-checkboxes';

/** One member: their roles here, disabling (which ends their sessions at once) and new one-time links. */
export function MemberPage({ code, accountId }: { code: string; accountId: number }) {
  const members = useResource(
    () =>
      call((signal) =>
        client.GET('/api/v1/staff/municipalities/{municipalityCode}/accounts', { params: { path: { municipalityCode: code } }, signal }),
      ),
    [code],
  );
  if (members.state === 'loading') return <Loading />;
  if (members.state === 'failed') return <LoadError problem={members.problem} onRetry={members.retry} />;
  const member = members.data.find((m) => m.id === accountId);
  if (!member) return <LoadError problem={new ApiProblem('staff-account-not-found', 404)} onRetry={members.retry} />;
  return <Member code={code} member={member} reload={members.retry} key={member.id} />;
}

function Member({ code, member, reload }: { code: string; member: StaffMember; reload: () => void }) {
  const { t, i18n } = useTranslation();
  const { may, state } = useSession();
  const [roles, setRoles] = useState<Role[]>(member.roles);
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();
  const [link, setLink] = useState<Link>();
  const path = { municipalityCode: code, accountId: member.id };
  const manage = may(code, 'accounts.manage');
  const self = state.status === 'signed-in' && state.account.id === member.id;

  async function act(run: () => Promise<unknown>, message: string) {
    setBusy(true);
    setDone(undefined);
    try {
      await run();
      setErrors({});
      setDone(message);
      reload();
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem('internal', 0);
      setErrors(problemToErrors(t, problem, (field) => (field.startsWith('roles') ? t('accounts.roles') : undefined)));
    } finally {
      setBusy(false);
    }
  }

  function saveRoles(event: FormEvent) {
    event.preventDefault();
    void act(
      () =>
        call((signal) =>
          client.PUT('/api/v1/staff/municipalities/{municipalityCode}/accounts/{accountId}/roles', {
            params: { path },
            body: { roles },
            signal,
          }),
        ),
      roles.length === 0 ? t('accounts.removed') : t('accounts.rolesSaved'),
    );
  }

  async function issue(purpose: 'enrolment' | 'password-reset') {
    setBusy(true);
    try {
      setLink(
        await call((signal) =>
          client.POST('/api/v1/staff/municipalities/{municipalityCode}/accounts/{accountId}/links', {
            params: { path },
            body: { purpose },
            signal,
          }),
        ),
      );
      setErrors({});
    } catch (error) {
      setErrors({ [FORM]: problemMessage(t, error instanceof ApiProblem ? error : new ApiProblem('internal', 0)) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={member.displayName || member.email} hasErrors={Object.keys(errors).length > 0}>
      <BackLink href={`/m/${code}/accounts`} label={t('accounts.backToList')} />
      {done && <Done message={done} />}
      <ErrorSummary errors={errors} />
      <dl className="facts">
        <dt>{t('accounts.email')}</dt>
        <dd className="break">{member.email}</dd>
        <dt>{t('accounts.status')}</dt>
        <dd>{t(`accounts.statuses.${member.status}`)}</dd>
        <dt>{t('accounts.lastSignIn')}</dt>
        <dd>{member.lastSignInAt ? formatInstant(member.lastSignInAt, i18n.language) : t('common.never')}</dd>
      </dl>
      {link && <IssuedLink link={link} />}
      {manage && !self && (
        <>
          <form onSubmit={saveRoles} noValidate>
            <RoleCheckboxes roles={roles} onChange={setRoles} error={fieldMessage(errors, 'roles')} />
            <SubmitButton busy={busy}>{t('accounts.saveRoles')}</SubmitButton>
          </form>
          <h2>{t('accounts.accessTitle')}</h2>
          {!member.managedHere ? (
            <p>{t('accounts.shared')}</p>
          ) : (
            <div className="actions">
              {member.status === 'invited' && (
                <button type="button" className="button button-secondary" disabled={busy} onClick={() => void issue('enrolment')}>
                  {t('accounts.newEnrolmentLink')}
                </button>
              )}
              {member.status === 'active' && (
                <button type="button" className="button button-secondary" disabled={busy} onClick={() => void issue('password-reset')}>
                  {t('accounts.resetLink')}
                </button>
              )}
              {member.status === 'disabled' ? (
                <button
                  type="button"
                  className="button button-secondary"
                  disabled={busy}
                  onClick={() =>
                    void act(
                      () =>
                        call((signal) =>
                          client.POST('/api/v1/staff/municipalities/{municipalityCode}/accounts/{accountId}/enable', {
                            params: { path },
                            signal,
                          }),
                        ),
                      t('accounts.enabled'),
                    )
                  }
                >
                  {t('accounts.enable')}
                </button>
              ) : (
                <ConfirmButton
                  label={t('accounts.disable')}
                  question={t('accounts.disableQuestion', { who: member.displayName || member.email })}
                  confirmLabel={t('accounts.disableConfirm')}
                  keepLabel={t('accounts.keep')}
                  disabled={busy}
                  onConfirm={() =>
                    void act(
                      () =>
                        call((signal) =>
                          client.POST('/api/v1/staff/municipalities/{municipalityCode}/accounts/{accountId}/disable', {
                            params: { path },
                            signal,
                          }),
                        ),
                      t('accounts.disabled'),
                    )
                  }
                />
              )}
            </div>
          )}
          <p className="hint">{t('accounts.disableHint')}</p>
        </>
      )}
      {self && <p>{t('accounts.ownAccount')}</p>}
    </Page>
  );
}
