import { useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiProblem, call, client } from '../../api/client';
import type { AuditEntry, AuditQuery } from '../../api/types';
import { ErrorSummary, FORM, SelectField, SubmitButton, TextField, fieldId, type FormErrors } from '../../components/form';
import { Page } from '../../components/page';
import { problemMessage, problemToErrors } from '../../components/problem';
import { Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { useSession } from '../../session/session';
import { formatInstant } from '../accounts/format';

/** The actions the server records (docs/api.md), offered as a choice; a subject (`staff.`) picks all of its actions. */
const ACTIONS = [
  'staff.',
  'staff.sign-in',
  'staff.sign-in-failed',
  'staff.sign-in-locked',
  'staff.sign-out',
  'staff.sign-out-everywhere',
  'staff.enrol',
  'staff.password-reset',
  'staff.update-self',
  'staff.invite',
  'staff.roles-change',
  'staff.disable',
  'staff.enable',
  'staff.link-issue',
  'staff.create',
  'staff.super-admin-change',
  'staff.create-admin',
  'municipality.',
  'settings.update',
  'waiting-room.control',
  'audit.export',
  'family.',
  'reservation.lookup',
] as const;

interface Filters {
  staffAccountId: string;
  residentId: string;
  action: string;
  from: string;
  to: string;
}

const EMPTY: Filters = { staffAccountId: '', residentId: '', action: '', from: '', to: '' };

/** The filters as the API takes them: days are whole local days, `to` exclusive (the day after). */
function queryOf(filters: Filters): Omit<AuditQuery, 'before' | 'limit'> {
  const day = (date: string, plus = 0) => {
    const at = new Date(`${date}T00:00:00`);
    at.setDate(at.getDate() + plus);
    return at.toISOString();
  };
  const id = (text: string) => (text.trim() === '' ? undefined : (Number(text.trim()) as number));
  return {
    ...(id(filters.staffAccountId) === undefined ? {} : { staffAccountId: id(filters.staffAccountId) }),
    ...(id(filters.residentId) === undefined ? {} : { residentId: id(filters.residentId) }),
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.from ? { from: day(filters.from) } : {}),
    ...(filters.to ? { to: day(filters.to, 1) } : {}),
  };
}

function exportHref(code: string | undefined, query: Record<string, unknown>): string {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const base = code ? `/api/v1/staff/municipalities/${code}/audit/export` : '/api/v1/staff/audit/export';
  const search = params.toString();
  return search ? `${base}?${search}` : base;
}

/** Who did what, when and from where: a municipality's log (its administrators) or everything (super-administrators). */
export function AuditPage({ code }: { code?: string }) {
  const { t, i18n } = useTranslation();
  const { may, state } = useSession();
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [entries, setEntries] = useState<AuditEntry[]>();
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const canExport = code ? may(code, 'audit.export') : state.status === 'signed-in' && state.superAdmin;
  const people = useResource<{ id: number; email: string; displayName: string }[]>(
    () =>
      code
        ? call((signal) =>
            client.GET('/api/v1/staff/municipalities/{municipalityCode}/accounts', {
              params: { path: { municipalityCode: code } },
              signal,
            }),
          )
        : call((signal) => client.GET('/api/v1/staff/accounts', { signal })),
    [code],
  );

  async function search(chosen: Filters, before?: number) {
    setBusy(true);
    try {
      const query = { ...queryOf(chosen), ...(before ? { before } : {}), limit: 50 };
      const page = code
        ? await call((signal) =>
            client.GET('/api/v1/staff/municipalities/{municipalityCode}/audit', {
              params: { path: { municipalityCode: code }, query },
              signal,
            }),
          )
        : await call((signal) => client.GET('/api/v1/staff/audit', { params: { query }, signal }));
      setEntries((previous) => (before && previous ? [...previous, ...page.entries] : page.entries));
      setNextBefore(page.nextBefore);
      setApplied(chosen);
      setErrors({});
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem('internal', 0);
      const labels: Record<string, string> = {
        staffAccountId: t('audit.staff'),
        residentId: t('audit.resident'),
        action: t('audit.action'),
        from: t('audit.from'),
        to: t('audit.to'),
      };
      const found = problemToErrors(t, problem, (path) =>
        labels[path.replace(/^querystring\./, '')] === undefined
          ? undefined
          : { label: labels[path.replace(/^querystring\./, '')]!, path: path.replace(/^querystring\./, '') },
      );
      setErrors(Object.keys(found).length > 0 ? found : { [FORM]: problemMessage(t, problem) });
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const found: FormErrors = {};
    for (const field of ['staffAccountId', 'residentId'] as const) {
      if (filters[field].trim() && !/^\d{1,10}$/.test(filters[field].trim())) found[fieldId(field)] = t('audit.errors.id');
    }
    if (filters.from && filters.to && filters.to < filters.from) found[fieldId('to')] = t('audit.errors.order');
    setErrors(found);
    if (Object.keys(found).length === 0) void search(filters);
  }

  const staffOptions = [
    { value: '', label: t('audit.anyone') },
    ...(people.state === 'ready'
      ? people.data.map((p) => ({ value: String(p.id), label: `${p.displayName || p.email} (${p.email})` }))
      : []),
  ];

  return (
    <Page title={code ? t('audit.title') : t('audit.titleAll')} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary errors={errors} />
      <form onSubmit={submit} noValidate className="filters">
        {people.state === 'failed' ? (
          <TextField
            id={fieldId('staffAccountId')}
            label={t('audit.staff')}
            hint={t('audit.staffIdHint')}
            inputMode="numeric"
            value={filters.staffAccountId}
            error={errors[fieldId('staffAccountId')]}
            onChange={(staffAccountId) => setFilters({ ...filters, staffAccountId })}
            width="narrow"
          />
        ) : (
          <SelectField
            id={fieldId('staffAccountId')}
            label={t('audit.staff')}
            value={filters.staffAccountId}
            options={staffOptions}
            onChange={(staffAccountId) => setFilters({ ...filters, staffAccountId })}
          />
        )}
        <TextField
          id={fieldId('residentId')}
          label={t('audit.resident')}
          hint={t('audit.residentHint')}
          inputMode="numeric"
          value={filters.residentId}
          error={errors[fieldId('residentId')]}
          onChange={(residentId) => setFilters({ ...filters, residentId })}
          width="narrow"
        />
        <SelectField
          id={fieldId('action')}
          label={t('audit.action')}
          value={filters.action}
          options={[
            { value: '', label: t('audit.anyAction') },
            ...ACTIONS.map((action) => ({ value: action, label: actionLabel(t, action) })),
          ]}
          onChange={(action) => setFilters({ ...filters, action })}
        />
        <TextField
          id={fieldId('from')}
          label={t('audit.from')}
          type="date"
          value={filters.from}
          error={errors[fieldId('from')]}
          onChange={(from) => setFilters({ ...filters, from })}
          width="medium"
        />
        <TextField
          id={fieldId('to')}
          label={t('audit.to')}
          type="date"
          value={filters.to}
          error={errors[fieldId('to')]}
          onChange={(to) => setFilters({ ...filters, to })}
          width="medium"
        />
        <SubmitButton busy={busy}>{t('audit.search')}</SubmitButton>
      </form>
      {busy && !entries && <Loading />}
      {entries && (
        <>
          <h2 id="audit-results">{t('audit.results', { count: entries.length })}</h2>
          {canExport && (
            <p>
              <a className="button button-secondary" href={exportHref(code, queryOf(applied))} download>
                {t('audit.export')}
              </a>
            </p>
          )}
          {entries.length === 0 ? (
            <p>{t('audit.none')}</p>
          ) : (
            <div className="table-wrap" role="region" aria-labelledby="audit-results" tabIndex={0}>
              <table className="table table-audit">
                <thead>
                  <tr>
                    <th scope="col">{t('audit.at')}</th>
                    <th scope="col">{t('audit.who')}</th>
                    <th scope="col">{t('audit.action')}</th>
                    <th scope="col">{t('audit.resident')}</th>
                    <th scope="col">{t('audit.address')}</th>
                    <th scope="col">{t('audit.detail')}</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((entry) => (
                    <tr key={entry.id}>
                      <td>{formatInstant(entry.at, i18n.language)}</td>
                      <td className="break">{entry.actor.email ?? entry.actor.name ?? t(`audit.actors.${entry.actor.kind}`)}</td>
                      <td>
                        <code>{entry.action}</code>
                      </td>
                      <td>{entry.residentId ?? ''}</td>
                      <td className="break">{entry.ip ?? ''}</td>
                      <td className="break detail">{Object.keys(entry.detail).length > 0 ? JSON.stringify(entry.detail) : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {nextBefore !== null && (
            <button type="button" className="button button-secondary" disabled={busy} onClick={() => void search(applied, nextBefore)}>
              {t('audit.more')}
            </button>
          )}
        </>
      )}
    </Page>
  );
}

function actionLabel(t: TFunction, action: string): string {
  return action.endsWith('.') ? t('audit.allOf', { subject: action.slice(0, -1) }) : action;
}
