import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { ApiProblem, call, client } from '../../api/client';
import type { StaffVenue, VenueInput } from '../../api/types';
import { ErrorSummary, SelectField, SubmitButton, TextField, fieldId, type FormErrors } from '../../components/form';
import { BackLink, Page } from '../../components/page';
import { fieldMessage, problemToErrors } from '../../components/problem';
import { Done, LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';

const FIELDS = ['nameJa', 'nameEn', 'address', 'accessNotes', 'mapUrl', 'phone'] as const;
type Draft = Record<(typeof FIELDS)[number] | 'vaccine' | 'overbookingPercent', string>;

const emptyDraft: Draft = {
  nameJa: '',
  nameEn: '',
  address: '',
  accessNotes: '',
  mapUrl: '',
  phone: '',
  vaccine: '',
  overbookingPercent: '0',
};

function draftOf(venue: StaffVenue): Draft {
  return {
    nameJa: venue.nameJa,
    nameEn: venue.nameEn,
    address: venue.address,
    accessNotes: venue.accessNotes ?? '',
    mapUrl: venue.mapUrl ?? '',
    phone: venue.phone ?? '',
    vaccine: venue.vaccine,
    overbookingPercent: String(venue.overbookingPercent),
  };
}

/** A new venue (`venueId` missing) or an existing one, with the municipality's vaccines to choose from. */
export function VenueFormPage({ code, venueId }: { code: string; venueId?: number }) {
  const path = { municipalityCode: code };
  const loaded = useResource(
    () =>
      Promise.all([
        call((signal) => client.GET('/api/v1/staff/municipalities/{municipalityCode}/settings', { params: { path }, signal })),
        venueId === undefined
          ? Promise.resolve(undefined)
          : call((signal) =>
              client.GET('/api/v1/staff/municipalities/{municipalityCode}/venues/{venueId}', {
                params: { path: { ...path, venueId } },
                signal,
              }),
            ),
      ]),
    [code, venueId],
  );
  if (loaded.state === 'loading') return <Loading />;
  if (loaded.state === 'failed') return <LoadError problem={loaded.problem} onRetry={loaded.retry} />;
  const [settings, venue] = loaded.data;
  const vaccines = Object.entries(settings.settings.vaccines).map(([value, rule]) => ({ value, nameJa: rule.nameJa, nameEn: rule.nameEn }));
  return <VenueForm code={code} venue={venue} vaccines={vaccines} />;
}

function VenueForm({
  code,
  venue,
  vaccines,
}: {
  code: string;
  venue?: StaffVenue;
  vaccines: { value: string; nameJa: string; nameEn: string }[];
}) {
  const { t, i18n } = useTranslation();
  const [, navigate] = useLocation();
  const [draft, setDraft] = useState<Draft>(venue ? draftOf(venue) : { ...emptyDraft, vaccine: vaccines[0]?.value ?? '' });
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const label = (field: keyof Draft) => t(`schedule.venue.${field}`);
  const set = (field: keyof Draft) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FormErrors = {};
    for (const field of ['nameJa', 'nameEn', 'address'] as const) {
      if (!draft[field].trim()) found[fieldId(field)] = t('schedule.errors.required', { field: label(field) });
    }
    const percent = Number(draft.overbookingPercent);
    if (!Number.isInteger(percent) || percent < 0 || percent > 50) found[fieldId('overbookingPercent')] = t('schedule.errors.percent');
    if (draft.mapUrl.trim() && !draft.mapUrl.trim().startsWith('https://')) found[fieldId('mapUrl')] = t('schedule.errors.mapUrl');
    setErrors(found);
    setSaved(false);
    if (Object.keys(found).length > 0) return;
    const body: VenueInput = {
      nameJa: draft.nameJa.trim(),
      nameEn: draft.nameEn.trim(),
      address: draft.address.trim(),
      vaccine: draft.vaccine,
      accessNotes: draft.accessNotes.trim() || null,
      mapUrl: draft.mapUrl.trim() || null,
      phone: draft.phone.trim() || null,
      texts: venue?.texts ?? {},
      overbookingPercent: percent,
    };
    setBusy(true);
    try {
      const path = { municipalityCode: code };
      if (venue) {
        await call((signal) =>
          client.PUT('/api/v1/staff/municipalities/{municipalityCode}/venues/{venueId}', {
            params: { path: { ...path, venueId: venue.id } },
            body,
            signal,
          }),
        );
        setSaved(true);
      } else {
        const created = await call((signal) =>
          client.POST('/api/v1/staff/municipalities/{municipalityCode}/venues', { params: { path }, body, signal }),
        );
        navigate(`/m/${code}/venues/${created.id}/template`);
      }
    } catch (error) {
      setErrors(
        problemToErrors(t, error instanceof ApiProblem ? error : new ApiProblem('internal', 0), (p) => {
          const field = p.replace(/^body\./, '').split('.')[0] as keyof Draft;
          return field in draft ? label(field) : undefined;
        }),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={venue ? t('schedule.editVenueTitle') : t('schedule.newVenueTitle')} hasErrors={Object.keys(errors).length > 0}>
      <BackLink href={`/m/${code}/venues`} label={t('schedule.backToVenues')} />
      <ErrorSummary errors={errors} />
      {saved && <Done message={t('schedule.venueSaved')} />}
      <form onSubmit={(event) => void submit(event)} noValidate>
        {FIELDS.map((field) => (
          <TextField
            key={field}
            id={fieldId(field)}
            label={label(field)}
            hint={field === 'mapUrl' ? t('schedule.venue.mapUrlHint') : undefined}
            type={field === 'mapUrl' ? 'url' : field === 'phone' ? 'tel' : 'text'}
            lang={field === 'nameJa' || field === 'address' ? 'ja' : field === 'nameEn' ? 'en' : undefined}
            value={draft[field]}
            error={fieldMessage(errors, field)}
            onChange={set(field)}
            width={field === 'phone' ? 'medium' : 'full'}
          />
        ))}
        <SelectField
          id={fieldId('vaccine')}
          label={label('vaccine')}
          value={draft.vaccine}
          options={vaccines.map((v) => ({ value: v.value, label: i18n.language === 'ja' ? v.nameJa : v.nameEn }))}
          error={fieldMessage(errors, 'vaccine')}
          onChange={set('vaccine')}
        />
        <TextField
          id={fieldId('overbookingPercent')}
          label={label('overbookingPercent')}
          hint={t('schedule.venue.overbookingHint')}
          inputMode="numeric"
          value={draft.overbookingPercent}
          error={fieldMessage(errors, 'overbookingPercent')}
          onChange={set('overbookingPercent')}
          width="narrow"
        />
        <SubmitButton busy={busy}>{venue ? t('schedule.saveVenue') : t('schedule.createVenue')}</SubmitButton>
      </form>
    </Page>
  );
}
