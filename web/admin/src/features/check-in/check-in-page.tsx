import { lazy, Suspense, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, call, client } from '../../api/client';
import type { CheckInDay, CheckInEntry } from '../../api/types';
import { ErrorSummary, FORM, SelectField, TextField, fieldId, type FormErrors } from '../../components/form';
import { Page } from '../../components/page';
import { problemMessage } from '../../components/problem';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { useSession } from '../../session/session';
import { canScanVoucher } from '../../../../shared/can-scan';
import { CheckInFigures } from './check-in-figures';
import { PersonCard, shown } from './person-card';
import { useLotNumber } from './lot-number';

// Loaded only when someone taps "scan": most desks never open the camera.
const VoucherQrScanner = lazy(() => import('../../../../shared/qr-scanner').then((m) => ({ default: m.VoucherQrScanner })));
const LOT = fieldId('lotNumber');
const SEARCH = fieldId('q');

/**
 * On the day at a venue, on a phone held in one hand: choose the venue and the day, find the person
 * (reservation number, voucher, name, or the voucher's QR code), tap 来場 or 来なかった. The lot
 * number is typed once and kept for the session; the counts at the top follow every tap.
 */
export function CheckInPage({ code }: { code: string }) {
  const { t, i18n } = useTranslation();
  const { may } = useSession();
  const venues = useResource(
    () => call((signal) => client.GET('/api/v1/municipalities/{code}/venues', { params: { path: { code } }, signal })),
    [code],
  );
  const [venueId, setVenueId] = useState<number>();
  const [date, setDate] = useState('');
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [day, setDay] = useState<CheckInDay>();
  const [problem, setProblem] = useState<ApiProblem>();
  const [errors, setErrors] = useState<FormErrors>({});
  const [said, setSaid] = useState('');
  const [busy, setBusy] = useState<string>();
  const [scanning, setScanning] = useState(false);
  const [lotNumber, setLotNumber] = useLotNumber(code);
  const loads = useRef(0);
  const canMark = may(code, 'check-in.mark');

  useEffect(() => {
    if (venues.state === 'ready' && venueId === undefined && venues.data[0]) setVenueId(venues.data[0].id);
  }, [venues, venueId]);

  async function load(which = { venueId, date, q }) {
    if (which.venueId === undefined) return;
    const mine = ++loads.current;
    try {
      const answer = await call((signal) =>
        client.GET('/api/v1/staff/municipalities/{municipalityCode}/check-in', {
          params: {
            path: { municipalityCode: code },
            query: { venueId: which.venueId!, ...(which.date ? { date: which.date } : {}), ...(which.q ? { q: which.q } : {}) },
          },
          signal,
        }),
      );
      if (mine !== loads.current) return;
      setDay(answer);
      setProblem(undefined);
      if (!which.date) setDate(answer.date);
    } catch (error) {
      if (mine === loads.current) setProblem(error instanceof ApiProblem ? error : new ApiProblem('internal', 0));
    }
  }

  useEffect(() => {
    void load({ venueId, date, q });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [code, venueId, date, q]);

  function search(event: FormEvent) {
    event.preventDefault();
    setQ(typed.trim());
  }

  async function mark(entry: CheckInEntry, kind: 'attended' | 'no-show' | 'undo') {
    if (kind === 'attended' && lotNumber.trim() === '') {
      setErrors({ [LOT]: t('checkIn.lotMissing') });
      return;
    }
    setBusy(entry.number);
    setErrors({});
    try {
      const params = { path: { municipalityCode: code, number: entry.number } };
      const base = '/api/v1/staff/municipalities/{municipalityCode}/check-in/reservations/{number}' as const;
      const done =
        kind === 'attended'
          ? await call((signal) => client.POST(`${base}/attended`, { params, body: { lotNumber }, signal }))
          : kind === 'no-show'
            ? await call((signal) => client.POST(`${base}/no-show`, { params, signal }))
            : await call((signal) => client.POST(`${base}/undo`, { params, signal }));
      if (done.lotNumber) setLotNumber(done.lotNumber);
      setSaid(t(`checkIn.said.${done.status}`, { name: entry.name, number: shown(entry.number) }));
      await load();
    } catch (error) {
      const failed = error instanceof ApiProblem ? error : new ApiProblem('internal', 0);
      const onLot = failed.fields.some((f) => f.field === 'lotNumber');
      setErrors(onLot ? { [LOT]: t('checkIn.lotPattern') } : { [FORM]: problemMessage(t, failed) });
    } finally {
      setBusy(undefined);
    }
  }

  if (venues.state === 'loading') return <Loading />;
  if (venues.state === 'failed') return <LoadError problem={venues.problem} onRetry={venues.retry} />;
  const ja = i18n.language === 'ja';
  return (
    <Page title={t('checkIn.title')} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary errors={errors} />
      <div className="check-in-pickers">
        <SelectField
          id={fieldId('venueId')}
          label={t('checkIn.venue')}
          value={venueId === undefined ? '' : String(venueId)}
          options={venues.data.map((v) => ({ value: String(v.id), label: ja ? v.nameJa : v.nameEn }))}
          onChange={(value) => setVenueId(Number(value))}
        />
        <TextField
          id={fieldId('date')}
          type="date"
          label={t('checkIn.date')}
          value={date}
          onChange={setDate}
          width="narrow"
          className="check-in-date"
        />
      </div>
      {canMark && (
        <TextField
          id={LOT}
          label={t('checkIn.lotNumber')}
          hint={t('checkIn.lotHint')}
          value={lotNumber}
          onChange={setLotNumber}
          error={errors[LOT]}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          width="medium"
        />
      )}
      {day && <CheckInFigures figures={day.figures} />}
      <form role="search" className="check-in-search" onSubmit={search} aria-label={t('checkIn.searchLabel')}>
        <TextField
          id={SEARCH}
          type="search"
          label={t('checkIn.search')}
          hint={t('checkIn.searchHint')}
          value={typed}
          onChange={setTyped}
          autoComplete="off"
          enterKeyHint="search"
        />
        <div className="actions">
          <button type="submit" className="button">
            {t('checkIn.find')}
          </button>
          {canScanVoucher() && !scanning && (
            <button type="button" className="button button-secondary" onClick={() => setScanning(true)}>
              {t('checkIn.scan')}
            </button>
          )}
          {q && (
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setTyped('');
                setQ('');
              }}
            >
              {t('checkIn.showAll')}
            </button>
          )}
        </div>
        {scanning && (
          <Suspense fallback={<Loading />}>
            <VoucherQrScanner
              municipalityCode={code}
              texts={{
                scanning: t('checkIn.scanning'),
                noCamera: t('checkIn.scanNoCamera'),
                otherMunicipality: t('checkIn.scanOtherMunicipality'),
                stop: t('checkIn.scanStop'),
              }}
              onNumber={(voucher) => {
                setScanning(false);
                setTyped(voucher);
                setQ(voucher);
              }}
              onClose={() => setScanning(false)}
            />
          </Suspense>
        )}
      </form>
      <p role="status" className="check-in-said">
        {said}
      </p>
      {problem && <LoadError problem={problem} onRetry={() => void load()} />}
      {day && (
        <>
          <h2 className="check-in-count">
            {q ? t('checkIn.found', { count: day.entries.length }) : t('checkIn.people', { count: day.entries.length })}
          </h2>
          <ul className="check-in-list">
            {day.entries.map((entry) => (
              <PersonCard
                key={entry.number}
                entry={entry}
                canMark={canMark}
                busy={busy === entry.number}
                onMark={(kind) => void mark(entry, kind)}
              />
            ))}
          </ul>
        </>
      )}
    </Page>
  );
}
