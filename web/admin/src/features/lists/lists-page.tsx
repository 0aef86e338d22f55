import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import { Fieldset, SelectField, TextField, fieldId } from '../../components/form';
import { Page } from '../../components/page';
import { useResource } from '../../components/use-resource';

const FORMATS = ['xlsx', 'csv', 'csv-sjis'] as const;
type Format = (typeof FORMATS)[number];

/** Today in Tokyo (the lists' default day), as YYYY-MM-DD. */
function todayIso(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date());
}

/**
 * The three lists as downloads: 予約者リスト of one day (at one venue or all), 未予約者リスト and
 * 予約台帳. Each is a plain link the browser downloads (the server streams it and records it).
 */
export function ListsPage({ code }: { code: string }) {
  const { t, i18n } = useTranslation();
  const [format, setFormat] = useState<Format>('xlsx');
  const [date, setDate] = useState(todayIso);
  const [venueId, setVenueId] = useState('');
  const venues = useResource(
    () =>
      call((signal) =>
        client.GET('/api/v1/staff/municipalities/{municipalityCode}/dashboard', { params: { path: { municipalityCode: code } }, signal }),
      ).then((d) => d.venues),
    [code],
  );
  const base = `/api/v1/staff/municipalities/${encodeURIComponent(code)}/reports`;
  const validDate = /^\d{4}-\d{2}-\d{2}$/.test(date);
  const reserved = `${base}/reserved?${new URLSearchParams({ date, format, ...(venueId ? { venueId } : {}) }).toString()}`;
  return (
    <Page title={t('lists.title')}>
      <p>{t('lists.intro')}</p>
      <Fieldset legend={t('lists.format')}>
        {FORMATS.map((f) => (
          <div className="radio" key={f}>
            <input id={`format-${f}`} type="radio" name="format" value={f} checked={format === f} onChange={() => setFormat(f)} />
            <label htmlFor={`format-${f}`}>{t(`lists.formats.${f}`)}</label>
          </div>
        ))}
      </Fieldset>

      <section aria-labelledby="reserved-title" className="card">
        <h2 id="reserved-title" className="card-title">
          {t('lists.reserved')}
        </h2>
        <p>{t('lists.reservedHint')}</p>
        <TextField
          id={fieldId('date')}
          label={t('lists.date')}
          type="date"
          value={date}
          onChange={setDate}
          width="medium"
          error={validDate ? undefined : t('lists.errors.date')}
        />
        <SelectField
          id={fieldId('venueId')}
          label={t('lists.venue')}
          value={venueId}
          onChange={setVenueId}
          options={[
            { value: '', label: t('lists.allVenues') },
            ...(venues.state === 'ready' ? venues.data : []).map((v) => ({
              value: String(v.id),
              label: i18n.language === 'ja' ? v.nameJa : v.nameEn,
            })),
          ]}
        />
        {validDate && (
          <a className="button" href={reserved} download data-testid="download-reserved">
            {t('lists.download', { list: t('lists.reserved') })}
          </a>
        )}
      </section>

      <section aria-labelledby="unreserved-title" className="card">
        <h2 id="unreserved-title" className="card-title">
          {t('lists.unreserved')}
        </h2>
        <p>{t('lists.unreservedHint')}</p>
        <a className="button" href={`${base}/unreserved?format=${format}`} download>
          {t('lists.download', { list: t('lists.unreserved') })}
        </a>
      </section>

      <section aria-labelledby="ledger-title" className="card">
        <h2 id="ledger-title" className="card-title">
          {t('lists.ledger')}
        </h2>
        <p>{t('lists.ledgerHint')}</p>
        <a className="button" href={`${base}/ledger?format=${format}`} download>
          {t('lists.download', { list: t('lists.ledger') })}
        </a>
      </section>
      <p className="hint">
        {t('lists.languageNote')} {t('lists.audited')}
      </p>
    </Page>
  );
}
