import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../components/confirm-button';
import { ApiProblem, call, client } from '../../api/client';
import type { IssuedLink as Link } from '../../api/types';
import { ErrorSummary, FORM, type FormErrors } from '../../components/form';
import { Page } from '../../components/page';
import { problemMessage } from '../../components/problem';
import { Done, LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { useSession } from '../../session/session';
import { formatInstant } from './format';
import { IssuedLink } from './issued-link';

/**
 * Super-administrators: every staff account of the deployment with its municipalities, and what
 * only they may do to an account shared between municipalities: disable or enable it, issue its
 * links, give or take super-administrator rights.
 */
export function AllAccountsPage() {
  const { t, i18n } = useTranslation();
  const { state } = useSession();
  const accounts = useResource(() => call((signal) => client.GET('/api/v1/staff/accounts', { signal })), []);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({});
  const [done, setDone] = useState<string>();
  const [link, setLink] = useState<Link>();

  async function act(run: () => Promise<unknown>, message: string) {
    setBusy(true);
    setDone(undefined);
    setLink(undefined);
    try {
      const answer = await run();
      if (answer && typeof answer === 'object' && 'url' in answer) setLink(answer as Link);
      setErrors({});
      setDone(message);
      accounts.retry();
    } catch (error) {
      setErrors({ [FORM]: problemMessage(t, error instanceof ApiProblem ? error : new ApiProblem('internal', 0)) });
    } finally {
      setBusy(false);
    }
  }

  const setSuperAdmin = (accountId: number, superAdmin: boolean, message: string) =>
    act(
      () =>
        call((signal) =>
          client.PUT('/api/v1/staff/accounts/{accountId}/super-admin', { params: { path: { accountId } }, body: { superAdmin }, signal }),
        ),
      message,
    );

  if (accounts.state === 'loading') return <Loading />;
  if (accounts.state === 'failed') return <LoadError problem={accounts.problem} onRetry={accounts.retry} />;
  const ownId = state.status === 'signed-in' ? state.account.id : 0;
  return (
    <Page title={t('allAccounts.title')} hasErrors={Object.keys(errors).length > 0}>
      <p>{t('allAccounts.intro')}</p>
      {done && <Done message={done} />}
      {link && <IssuedLink link={link} />}
      <ErrorSummary errors={errors} />
      <div className="table-wrap" role="region" aria-labelledby="all-accounts-caption" tabIndex={0}>
        <table className="table">
          <caption id="all-accounts-caption">{t('allAccounts.caption', { count: accounts.data.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('accounts.name')}</th>
              <th scope="col">{t('accounts.status')}</th>
              <th scope="col">{t('allAccounts.where')}</th>
              <th scope="col">{t('accounts.lastSignIn')}</th>
              <th scope="col">{t('allAccounts.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {accounts.data.map((account) => {
              const path = { accountId: account.id };
              const who = account.displayName || account.email;
              return (
                <tr key={account.id}>
                  <td className="break">
                    {who}
                    {account.displayName && <div className="hint">{account.email}</div>}
                  </td>
                  <td>
                    <span className={`status status-${account.status}`}>{t(`accounts.statuses.${account.status}`)}</span>
                  </td>
                  <td>
                    {[
                      ...(account.superAdmin ? [t('roles.superAdmin')] : []),
                      ...account.memberships.map(
                        (m) => `${m.municipalityCode}: ${m.roles.map((role) => t(`roles.${role}`)).join(t('common.listSeparator'))}`,
                      ),
                    ].join(' / ') || t('common.none')}
                  </td>
                  <td>{account.lastSignInAt ? formatInstant(account.lastSignInAt, i18n.language) : t('common.never')}</td>
                  <td>
                    {account.id === ownId ? (
                      t('allAccounts.you')
                    ) : (
                      <div className="row-actions">
                        <button
                          type="button"
                          className="button button-secondary button-small"
                          disabled={busy}
                          aria-label={t(account.status === 'invited' ? 'allAccounts.enrolmentLinkFor' : 'allAccounts.resetLinkFor', {
                            who,
                          })}
                          onClick={() =>
                            void act(
                              () =>
                                call((signal) =>
                                  client.POST('/api/v1/staff/accounts/{accountId}/links', {
                                    params: { path },
                                    body: { purpose: account.status === 'invited' ? 'enrolment' : 'password-reset' },
                                    signal,
                                  }),
                                ),
                              t('allAccounts.linkIssued', { who }),
                            )
                          }
                        >
                          {account.status === 'invited' ? t('allAccounts.enrolmentLink') : t('allAccounts.resetLink')}
                        </button>
                        {account.superAdmin ? (
                          <ConfirmButton
                            small
                            quiet
                            label={t('allAccounts.revoke')}
                            ariaLabel={t('allAccounts.revokeFor', { who })}
                            question={t('allAccounts.revokeQuestion', { who })}
                            confirmLabel={t('allAccounts.revokeConfirm')}
                            keepLabel={t('accounts.keep')}
                            disabled={busy}
                            onConfirm={() => void setSuperAdmin(account.id, false, t('allAccounts.revoked', { who }))}
                          />
                        ) : (
                          <button
                            type="button"
                            className="button button-secondary button-small"
                            disabled={busy}
                            aria-label={t('allAccounts.grantFor', { who })}
                            onClick={() => void setSuperAdmin(account.id, true, t('allAccounts.granted', { who }))}
                          >
                            {t('allAccounts.grant')}
                          </button>
                        )}
                        {account.status === 'disabled' ? (
                          <button
                            type="button"
                            className="button button-small button-secondary"
                            disabled={busy}
                            aria-label={t('allAccounts.enableFor', { who })}
                            onClick={() =>
                              void act(
                                () =>
                                  call((signal) => client.POST('/api/v1/staff/accounts/{accountId}/enable', { params: { path }, signal })),
                                t('allAccounts.enabled', { who }),
                              )
                            }
                          >
                            {t('accounts.enable')}
                          </button>
                        ) : (
                          <ConfirmButton
                            small
                            label={t('accounts.disable')}
                            ariaLabel={t('allAccounts.disableFor', { who })}
                            question={t('accounts.disableQuestion', { who })}
                            confirmLabel={t('accounts.disableConfirm')}
                            keepLabel={t('accounts.keep')}
                            disabled={busy}
                            onConfirm={() =>
                              void act(
                                () =>
                                  call((signal) => client.POST('/api/v1/staff/accounts/{accountId}/disable', { params: { path }, signal })),
                                t('allAccounts.disabled', { who }),
                              )
                            }
                          />
                        )}
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Page>
  );
}
