import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, call, client } from '../../api/client';
import type { SettingsAnswer } from '../../api/types';
import { Checkbox, ErrorSummary, Fieldset, SubmitButton, TextField, fieldId, type FormErrors } from '../../components/form';
import { BackLink, Page } from '../../components/page';
import { fieldMessage, problemToErrors } from '../../components/problem';
import { Done, LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { useSession } from '../../session/session';
import { draftOf, newKey, NUMBER_FIELDS, settingsOf, type SettingsDraft, type VaccineDraft, type WaveDraft } from './settings-form';

const VACCINE_FIELDS = ['code', 'nameJa', 'nameEn', 'secondDoseMinDays', 'minAgeYears', 'maxAgeYears'] as const;
const WAVE_FIELDS = ['id', 'opensAt', 'youngest', 'oldest', 'birthDayDigits', 'share'] as const;

export function SettingsPage({ code }: { code: string }) {
  const answer = useResource(
    () =>
      call((signal) =>
        client.GET('/api/v1/staff/municipalities/{municipalityCode}/settings', { params: { path: { municipalityCode: code } }, signal }),
      ),
    [code],
  );
  if (answer.state === 'loading') return <Loading />;
  if (answer.state === 'failed') return <LoadError problem={answer.problem} onRetry={answer.retry} />;
  return <SettingsForm code={code} answer={answer.data} />;
}

/**
 * The campaign policy and the waiting room's opening plan, every field of settings.schema.ts. The
 * server checks each one (and the rules between them) and says what is wrong beside the field.
 */
function SettingsForm({ code, answer }: { code: string; answer: SettingsAnswer }) {
  const { t } = useTranslation();
  const { may } = useSession();
  const editable = may(code, 'settings.update');
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOf(answer.settings));
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const setVaccine = (key: number, patch: Partial<VaccineDraft>) =>
    setDraft((d) => ({ ...d, vaccines: d.vaccines.map((v) => (v.key === key ? { ...v, ...patch } : v)) }));
  const setWave = (key: number, patch: Partial<WaveDraft>) =>
    setDraft((d) => ({ ...d, waves: d.waves.map((w) => (w.key === key ? { ...w, ...patch } : w)) }));

  /** A field path of the API → the label in the summary and the input that shows the message. */
  function labelOf(path: string): string | { label: string; path: string } | undefined {
    const parts = path.split('.');
    const [head] = parts;
    if ((NUMBER_FIELDS as readonly string[]).includes(head!) || head === 'autoScheduleSecondDose')
      return t(`settings.fields.${head}.label`);
    if (head === 'vaccines') {
      const vaccine = draft.vaccines.find((v) => v.code.trim() === parts[1]);
      const field = parts[2] as (typeof VACCINE_FIELDS)[number] | undefined;
      if (!vaccine || !field)
        return { label: parts[1] ? `${t('settings.vaccinesTitle')} (${parts[1]})` : t('settings.vaccinesTitle'), path: 'vaccines' };
      return { label: `${vaccine.code} ${t(`settings.vaccine.${field}`)}`, path: `vaccines.${vaccine.key}.${field}` };
    }
    if (head === 'waitingRoom' && parts[1] === 'waves') {
      const index = Number(parts[2]);
      const wave = draft.waves[index];
      if (!wave) return { label: t('settings.wavesTitle'), path: 'waves' };
      const field =
        parts[3] === 'ages' ? (parts[4] === '1' ? 'oldest' : 'youngest') : (parts[3] as (typeof WAVE_FIELDS)[number] | undefined);
      if (!field) return { label: t('settings.wave', { n: index + 1 }), path: 'waves' };
      return { label: `${t('settings.wave', { n: index + 1 })} ${t(`settings.waveFields.${field}`)}`, path: `waves.${wave.key}.${field}` };
    }
    return undefined;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    try {
      const now = await call((signal) =>
        client.PUT('/api/v1/staff/municipalities/{municipalityCode}/settings', {
          params: { path: { municipalityCode: code } },
          body: settingsOf(draft),
          signal,
        }),
      );
      setDraft(draftOf(now));
      setErrors({});
      setSaved(true);
    } catch (error) {
      setErrors(problemToErrors(t, error instanceof ApiProblem ? error : new ApiProblem('internal', 0), labelOf));
    } finally {
      setBusy(false);
    }
  }

  const defaults = answer.defaults;
  return (
    <Page title={t('settings.title')} hasErrors={Object.keys(errors).length > 0}>
      <BackLink href={`/m/${code}`} />
      {saved && <Done message={t('settings.saved')} />}
      {!editable && (
        <div className="notice">
          <p>{t('settings.readOnly')}</p>
        </div>
      )}
      <ErrorSummary errors={errors} />
      <form onSubmit={(event) => void submit(event)} noValidate>
        <fieldset className="plain" disabled={!editable}>
          <h2>{t('settings.policyTitle')}</h2>
          {NUMBER_FIELDS.map((field) => (
            <TextField
              key={field}
              id={fieldId(field)}
              label={t(`settings.fields.${field}.label`)}
              hint={`${t(`settings.fields.${field}.hint`)} ${t('settings.default', { value: defaults[field] })}`}
              inputMode={field === 'fewLeftRatio' ? 'decimal' : 'numeric'}
              value={draft.numbers[field]}
              error={fieldMessage(errors, field)}
              onChange={(value) => setDraft((d) => ({ ...d, numbers: { ...d.numbers, [field]: value } }))}
              width="narrow"
            />
          ))}
          <Checkbox
            id={fieldId('autoScheduleSecondDose')}
            label={t('settings.fields.autoScheduleSecondDose.label')}
            hint={t('settings.fields.autoScheduleSecondDose.hint')}
            checked={draft.autoScheduleSecondDose}
            onChange={(checked) => setDraft((d) => ({ ...d, autoScheduleSecondDose: checked }))}
          />

          <h2>{t('settings.vaccinesTitle')}</h2>
          <Fieldset
            legend={t('settings.vaccinesLegend')}
            hint={t('settings.vaccinesHint')}
            id={fieldId('vaccines')}
            error={fieldMessage(errors, 'vaccines')}
          >
            {draft.vaccines.map((vaccine, index) => (
              <div className="group" key={vaccine.key}>
                <h3>{vaccine.code.trim() || t('settings.newVaccine', { n: index + 1 })}</h3>
                {VACCINE_FIELDS.map((field) => (
                  <TextField
                    key={field}
                    id={fieldId(`vaccines.${vaccine.key}.${field}`)}
                    label={t(`settings.vaccine.${field}`)}
                    hint={
                      field === 'maxAgeYears'
                        ? t('settings.vaccine.maxAgeHint')
                        : field === 'code'
                          ? t('settings.vaccine.codeHint')
                          : undefined
                    }
                    inputMode={['code', 'nameJa', 'nameEn'].includes(field) ? undefined : 'numeric'}
                    lang={field === 'nameJa' ? 'ja' : field === 'nameEn' ? 'en' : undefined}
                    spellCheck={field === 'code' ? false : undefined}
                    value={vaccine[field]}
                    error={fieldMessage(errors, `vaccines.${vaccine.key}.${field}`)}
                    onChange={(value) => setVaccine(vaccine.key, { [field]: value })}
                    width={['nameJa', 'nameEn'].includes(field) ? 'full' : 'narrow'}
                  />
                ))}
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => setDraft((d) => ({ ...d, vaccines: d.vaccines.filter((v) => v.key !== vaccine.key) }))}
                >
                  {t('settings.removeVaccine', { code: vaccine.code || index + 1 })}
                </button>
              </div>
            ))}
            <button
              type="button"
              className="button button-secondary"
              onClick={() =>
                setDraft((d) => ({
                  ...d,
                  vaccines: [
                    ...d.vaccines,
                    { key: newKey(), code: '', nameJa: '', nameEn: '', secondDoseMinDays: '', minAgeYears: '', maxAgeYears: '' },
                  ],
                }))
              }
            >
              {t('settings.addVaccine')}
            </button>
          </Fieldset>

          <h2>{t('settings.wavesTitle')}</h2>
          <p>{t('settings.wavesMode', { mode: t(`settings.modes.${answer.waitingRoomMode}`) })}</p>
          <Fieldset
            legend={t('settings.wavesLegend')}
            hint={t('settings.wavesHint')}
            id={fieldId('waves')}
            error={fieldMessage(errors, 'waves')}
          >
            {draft.waves.map((wave, index) => (
              <div className="group" key={wave.key}>
                <h3>{t('settings.wave', { n: index + 1 })}</h3>
                {WAVE_FIELDS.map((field) => (
                  <TextField
                    key={field}
                    id={fieldId(`waves.${wave.key}.${field}`)}
                    label={t(`settings.waveFields.${field}`)}
                    hint={t(`settings.waveHints.${field}`)}
                    spellCheck={false}
                    inputMode={['youngest', 'oldest', 'share'].includes(field) ? 'decimal' : undefined}
                    value={wave[field]}
                    error={fieldMessage(errors, `waves.${wave.key}.${field}`)}
                    onChange={(value) => setWave(wave.key, { [field]: value })}
                    width={field === 'opensAt' ? 'medium' : 'narrow'}
                  />
                ))}
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => setDraft((d) => ({ ...d, waves: d.waves.filter((w) => w.key !== wave.key) }))}
                >
                  {t('settings.removeWave', { n: index + 1 })}
                </button>
              </div>
            ))}
            <button
              type="button"
              className="button button-secondary"
              onClick={() =>
                setDraft((d) => ({
                  ...d,
                  waves: [...d.waves, { key: newKey(), id: '', opensAt: '', youngest: '', oldest: '', birthDayDigits: '', share: '' }],
                }))
              }
            >
              {t('settings.addWave')}
            </button>
          </Fieldset>
          {editable && <SubmitButton busy={busy}>{t('settings.save')}</SubmitButton>}
        </fieldset>
      </form>
    </Page>
  );
}
