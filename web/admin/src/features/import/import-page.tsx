import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';
import { ApiProblem, call, client } from '../../api/client';
import type { ImportUpload } from '../../api/types';
import { Checkbox, ErrorSummary, FORM, SelectField, SubmitButton, fieldId, type FormErrors } from '../../components/form';
import { Page } from '../../components/page';
import { problemMessage, problemToErrors } from '../../components/problem';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { ImportStatus, useImportFormats } from './import-status';

/** The fields of a resident a file's columns are mapped to (server: resident-import/columns.ts). */
const FIELDS = ['voucherNumber', 'birthDate', 'nameKanji', 'nameKana', 'sex', 'postcode', 'address', 'phone'] as const;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Importing residents: choose a file, check how its columns were matched (with the first rows),
 * start; the import then runs as a job on the server and has a page of its own to follow it.
 */
export function ImportPage({ code }: { code: string }) {
  const { t } = useTranslation();
  const [upload, setUpload] = useState<ImportUpload>();
  return (
    <Page title={t('import.title')}>
      <p>{t('import.intro')}</p>
      {upload ? (
        <Mapping code={code} upload={upload} onCancel={() => setUpload(undefined)} />
      ) : (
        <Upload code={code} onUploaded={setUpload} />
      )}
      <Recent code={code} />
    </Page>
  );
}

function Upload({ code, onUploaded }: { code: string; onUploaded: (upload: ImportUpload) => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File>();
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);

  async function send(event: FormEvent) {
    event.preventDefault();
    if (!file) {
      setErrors({ [fieldId('file')]: t('import.errors.noFile') });
      return;
    }
    setBusy(true);
    try {
      const type = /\.xlsx$/i.test(file.name) ? XLSX : 'text/csv';
      const answer = await call((signal) =>
        client.POST('/api/v1/staff/municipalities/{municipalityCode}/resident-imports', {
          params: { path: { municipalityCode: code }, query: { fileName: file.name.slice(0, 200) } },
          // The file's own bytes, as the API takes them (no multipart).
          body: file as unknown as string,
          bodySerializer: (body: unknown) => body as BodyInit,
          headers: { 'content-type': type },
          signal,
        }),
      );
      setErrors({});
      onUploaded(answer);
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem('internal', 0);
      setErrors({ [fieldId('file')]: problemMessage(t, problem) });
    } finally {
      setBusy(false);
    }
  }

  const error = errors[fieldId('file')];
  return (
    <section aria-labelledby="upload-title">
      <h2 id="upload-title">{t('import.step1')}</h2>
      <ErrorSummary errors={errors} />
      <form onSubmit={send} noValidate>
        <div className={`field${error ? ' field-has-error' : ''}`}>
          <label htmlFor={fieldId('file')} className="label">
            {t('import.file')}
          </label>
          <div className="hint" id={`${fieldId('file')}-hint`}>
            {t('import.fileHint')}
          </div>
          {error && (
            <p className="field-error" id={`${fieldId('file')}-error`}>
              <span className="visually-hidden">{t('errors.prefix')} </span>
              {error}
            </p>
          )}
          <input
            id={fieldId('file')}
            type="file"
            className="file-input"
            accept=".csv,.txt,.xlsx,text/csv"
            aria-describedby={[`${fieldId('file')}-hint`, error ? `${fieldId('file')}-error` : ''].filter(Boolean).join(' ')}
            aria-invalid={error ? true : undefined}
            onChange={(event) => setFile(event.target.files?.[0])}
          />
        </div>
        <SubmitButton busy={busy}>{t('import.upload')}</SubmitButton>
      </form>
    </section>
  );
}

function Mapping({ code, upload, onCancel }: { code: string; upload: ImportUpload; onCancel: () => void }) {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const { import: record, preview } = upload;
  const [mapping, setMapping] = useState<Record<string, string>>({ ...record.mapping });
  const [full, setFull] = useState(false);
  const [markMissing, setMarkMissing] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const fields = [...FIELDS, ...Object.keys(record.mapping).filter((f) => !(FIELDS as readonly string[]).includes(f))];
  const fieldLabel = (field: string) => {
    const dose = /^dose(\d+)\.(date|vaccine)$/.exec(field);
    if (dose) return dose[2] === 'date' ? t('import.fields.doseDate', { n: dose[1] }) : t('import.fields.doseVaccine', { n: dose[1] });
    return t(`import.fields.${field}`);
  };
  const options = [{ value: '', label: t('import.notInFile') }, ...record.headers.map((h) => ({ value: h, label: h }))];

  async function start(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      const chosen = Object.fromEntries(Object.entries(mapping).filter(([, header]) => header !== ''));
      const started = await call((signal) =>
        client.POST('/api/v1/staff/municipalities/{municipalityCode}/resident-imports/{importId}/start', {
          params: { path: { municipalityCode: code, importId: record.id } },
          body: { mapping: chosen, full, markMissingIneligible: full && markMissing },
          signal,
        }),
      );
      navigate(`/m/${code}/import/${started.id}`);
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem('internal', 0);
      const found = problemToErrors(t, problem, (path) => (path.startsWith('mapping') ? t('import.mapping') : undefined));
      setErrors(Object.keys(found).length > 0 ? found : { [FORM]: problemMessage(t, problem) });
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="mapping-title">
      <h2 id="mapping-title">{t('import.step2')}</h2>
      <p>{t('import.fileRead', { name: record.fileName, count: record.headers.length })}</p>
      {preview.missingRequired.length > 0 && (
        <p className="notice-warning">
          {t('import.missingRequired', { fields: preview.missingRequired.map(fieldLabel).join(t('common.listSeparator')) })}
        </p>
      )}
      <div className="table-wrap" role="region" aria-labelledby="preview-caption" tabIndex={0}>
        <table className="table table-compact">
          <caption id="preview-caption">{t('import.preview', { count: preview.rows.length })}</caption>
          <thead>
            <tr>
              {record.headers.map((h) => (
                <th scope="col" key={h}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row, i) => (
              <tr key={i}>
                {record.headers.map((h, j) => (
                  <td key={h}>{row[j] ?? ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ErrorSummary errors={errors} />
      <form onSubmit={start} noValidate>
        <fieldset className="field">
          <legend className="label">{t('import.mapping')}</legend>
          <div className="hint">{t('import.mappingHint')}</div>
          <div className="mapping-grid">
            {fields.map((field) => (
              <SelectField
                key={field}
                id={fieldId(`mapping.${field}`)}
                label={fieldLabel(field)}
                options={options}
                value={mapping[field] ?? ''}
                onChange={(header) => setMapping({ ...mapping, [field]: header })}
              />
            ))}
          </div>
        </fieldset>
        <Checkbox id="full" label={t('import.full')} hint={t('import.fullHint')} checked={full} onChange={setFull} />
        {full && (
          <Checkbox
            id="markMissing"
            label={t('import.markMissing')}
            hint={t('import.markMissingHint')}
            checked={markMissing}
            onChange={setMarkMissing}
          />
        )}
        <div className="actions">
          <SubmitButton busy={busy}>{t('import.start')}</SubmitButton>
          <button type="button" className="button button-secondary" onClick={onCancel}>
            {t('import.another')}
          </button>
        </div>
      </form>
    </section>
  );
}

function Recent({ code }: { code: string }) {
  const { t } = useTranslation();
  const { when } = useImportFormats();
  const list = useResource(
    () =>
      call((signal) =>
        client.GET('/api/v1/staff/municipalities/{municipalityCode}/resident-imports', {
          params: { path: { municipalityCode: code } },
          signal,
        }),
      ),
    [code],
  );
  return (
    <section aria-labelledby="recent-title">
      <h2 id="recent-title">{t('import.recent')}</h2>
      {list.state === 'loading' && <Loading />}
      {list.state === 'failed' && <LoadError problem={list.problem} onRetry={list.retry} />}
      {list.state === 'ready' &&
        (list.data.imports.length === 0 ? (
          <p>{t('import.noneYet')}</p>
        ) : (
          <ul className="link-list">
            {list.data.imports.slice(0, 10).map((i) => (
              <li key={i.id}>
                <Link href={`/m/${code}/import/${i.id}`}>
                  {i.fileName} · {when(i.createdAt)} · <ImportStatus record={i} />
                </Link>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
