import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { ApiProblem, call, client } from '../../api/client';
import type { MunicipalityRecord } from '../../api/types';
import { ErrorSummary, SubmitButton, TextField, fieldId, type FormErrors } from '../../components/form';
import { BackLink, Page } from '../../components/page';
import { fieldMessage, problemToErrors } from '../../components/problem';
import { Done, LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';

interface Values {
  code: string;
  nameJa: string;
  nameEn: string;
  timeZone: string;
  callCentrePhone: string;
}

/** The municipality's facts; the code (with its check digit, which the server verifies) only when it is created. */
function MunicipalityFields({
  values,
  set,
  errors,
  withCode,
}: {
  values: Values;
  set: (patch: Partial<Values>) => void;
  errors: FormErrors;
  withCode: boolean;
}) {
  const { t } = useTranslation();
  return (
    <>
      {withCode && (
        <TextField
          id={fieldId('code')}
          label={t('municipality.code')}
          hint={t('municipality.codeHint')}
          inputMode="numeric"
          autoComplete="off"
          maxLength={6}
          value={values.code}
          error={fieldMessage(errors, 'code')}
          onChange={(code) => set({ code })}
          width="narrow"
          className="input-digits"
        />
      )}
      <TextField
        id={fieldId('nameJa')}
        label={t('municipality.nameJa')}
        lang="ja"
        value={values.nameJa}
        error={fieldMessage(errors, 'nameJa')}
        onChange={(nameJa) => set({ nameJa })}
        width="medium"
      />
      <TextField
        id={fieldId('nameEn')}
        label={t('municipality.nameEn')}
        lang="en"
        value={values.nameEn}
        error={fieldMessage(errors, 'nameEn')}
        onChange={(nameEn) => set({ nameEn })}
        width="medium"
      />
      <TextField
        id={fieldId('timeZone')}
        label={t('municipality.timeZone')}
        hint={t('municipality.timeZoneHint')}
        spellCheck={false}
        value={values.timeZone}
        error={fieldMessage(errors, 'timeZone')}
        onChange={(timeZone) => set({ timeZone })}
        width="medium"
      />
      <TextField
        id={fieldId('callCentrePhone')}
        label={t('municipality.phone')}
        hint={t('municipality.phoneHint')}
        type="tel"
        autoComplete="off"
        value={values.callCentrePhone}
        error={fieldMessage(errors, 'callCentrePhone')}
        onChange={(callCentrePhone) => set({ callCentrePhone })}
        width="medium"
      />
    </>
  );
}

function useLabels() {
  const { t } = useTranslation();
  const labels: Record<string, string> = {
    code: t('municipality.code'),
    nameJa: t('municipality.nameJa'),
    nameEn: t('municipality.nameEn'),
    timeZone: t('municipality.timeZone'),
    callCentrePhone: t('municipality.phone'),
  };
  return (path: string) => labels[path];
}

export function NewMunicipalityPage() {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const labelOf = useLabels();
  const [values, setValues] = useState<Values>({ code: '', nameJa: '', nameEn: '', timeZone: 'Asia/Tokyo', callCentrePhone: '' });
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      const created = await call((signal) =>
        client.POST('/api/v1/staff/municipalities', {
          body: {
            code: values.code.trim(),
            nameJa: values.nameJa.trim(),
            nameEn: values.nameEn.trim(),
            timeZone: values.timeZone.trim(),
            ...(values.callCentrePhone.trim() ? { callCentrePhone: values.callCentrePhone.trim() } : {}),
          },
          signal,
        }),
      );
      navigate(`/m/${created.code}`);
    } catch (error) {
      setErrors(problemToErrors(t, error instanceof ApiProblem ? error : new ApiProblem('internal', 0), labelOf));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={t('municipalities.addTitle')} hasErrors={Object.keys(errors).length > 0}>
      <BackLink href="/municipalities" />
      <ErrorSummary errors={errors} />
      <form onSubmit={(event) => void submit(event)} noValidate>
        <MunicipalityFields values={values} set={(patch) => setValues({ ...values, ...patch })} errors={errors} withCode />
        <SubmitButton busy={busy}>{t('municipalities.create')}</SubmitButton>
      </form>
    </Page>
  );
}

export function MunicipalityDetailsPage({ code }: { code: string }) {
  const record = useResource(
    () =>
      call((signal) =>
        client.GET('/api/v1/staff/municipalities/{municipalityCode}', { params: { path: { municipalityCode: code } }, signal }),
      ),
    [code],
  );
  if (record.state === 'loading') return <Loading />;
  if (record.state === 'failed') return <LoadError problem={record.problem} onRetry={record.retry} />;
  return <DetailsForm record={record.data} />;
}

function DetailsForm({ record }: { record: MunicipalityRecord }) {
  const { t } = useTranslation();
  const labelOf = useLabels();
  const [values, setValues] = useState<Values>({ ...record, callCentrePhone: record.callCentrePhone ?? '' });
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    try {
      const phone = values.callCentrePhone.trim();
      const answer = await call((signal) =>
        client.PATCH('/api/v1/staff/municipalities/{municipalityCode}', {
          params: { path: { municipalityCode: record.code } },
          body: {
            nameJa: values.nameJa.trim(),
            nameEn: values.nameEn.trim(),
            timeZone: values.timeZone.trim(),
            ...(phone ? { callCentrePhone: phone } : {}),
          },
          signal,
        }),
      );
      setValues({ ...answer, callCentrePhone: answer.callCentrePhone ?? '' });
      setErrors({});
      setSaved(true);
    } catch (error) {
      setErrors(problemToErrors(t, error instanceof ApiProblem ? error : new ApiProblem('internal', 0), labelOf));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={t('municipalities.detailsTitle')} hasErrors={Object.keys(errors).length > 0}>
      <BackLink href={`/m/${record.code}`} />
      {saved && <Done message={t('common.saved')} />}
      <ErrorSummary errors={errors} />
      <form onSubmit={(event) => void submit(event)} noValidate>
        <MunicipalityFields values={values} set={(patch) => setValues({ ...values, ...patch })} errors={errors} withCode={false} />
        <SubmitButton busy={busy}>{t('common.save')}</SubmitButton>
      </form>
    </Page>
  );
}
