import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { PhoneBooked } from '../../api/types';
import { Page } from '../../components/page';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { CallerRecord, postcardUrl } from './caller-record';
import { CallerSearch } from './caller-search';
import { callFormats } from './format';
import { ReadBack } from './read-back';
import { ScriptLines } from './script-lines';

type Step = { step: 'search' } | { step: 'caller'; residentId: number } | { step: 'booked'; residentId: number; booked: PhoneBooked };

/**
 * The operator's console, one call at a time and keyboard first: find the caller, confirm who
 * they are, book (or change, cancel) for them or their family, read the number back character by
 * character, print the postcard; the municipality's script lines beside each screen.
 */
export function CallCentrePage({ code }: { code: string }) {
  const { t, i18n } = useTranslation();
  const [step, setStep] = useState<Step>({ step: 'search' });
  const municipality = useResource(
    () =>
      call((signal) =>
        client.GET('/api/v1/staff/municipalities/{municipalityCode}', { params: { path: { municipalityCode: code } }, signal }),
      ),
    [code],
  );
  const scripts = useResource(
    () =>
      call((signal) =>
        client.GET('/api/v1/staff/municipalities/{municipalityCode}/call-centre/scripts', {
          params: { path: { municipalityCode: code } },
          signal,
        }),
      ),
    [code],
  );
  const timeZone = municipality.state === 'ready' ? municipality.data.timeZone : 'Asia/Tokyo';
  const formats = useMemo(() => callFormats(i18n.language, timeZone), [i18n.language, timeZone]);
  const lines = scripts.state === 'ready' ? scripts.data : undefined;
  const title =
    step.step === 'search'
      ? t('callCentre.titleSearch')
      : step.step === 'caller'
        ? t('callCentre.titleCaller')
        : t('callCentre.titleBooked');

  useEffect(() => {
    if (step.step === 'booked') document.getElementById('booked-title')?.focus();
  }, [step]);

  if (municipality.state === 'loading') return <Loading />;
  if (municipality.state === 'failed') return <LoadError problem={municipality.problem} onRetry={municipality.retry} />;
  return (
    <Page title={title} caption={t('callCentre.caption')}>
      <div className="call-console">
        {step.step === 'search' && (
          <>
            <ScriptLines scripts={lines} screen="identify" />
            <CallerSearch code={code} formats={formats} onPick={(residentId) => setStep({ step: 'caller', residentId })} />
          </>
        )}
        {step.step === 'caller' && (
          <CallerRecord
            code={code}
            residentId={step.residentId}
            formats={formats}
            scripts={lines}
            onBack={() => setStep({ step: 'search' })}
            onBooked={(booked) => setStep({ step: 'booked', residentId: step.residentId, booked })}
          />
        )}
        {step.step === 'booked' && (
          <section aria-labelledby="booked-title">
            <h2 id="booked-title" tabIndex={-1}>
              {t('callCentre.booked.title', { name: step.booked.personName })}
            </h2>
            <dl className="facts">
              <dt>{t('callCentre.record.when')}</dt>
              <dd>{formats.dateTime(step.booked.slot.startsAt)}</dd>
              <dt>{t('callCentre.record.venue')}</dt>
              <dd>{i18n.language === 'ja' ? step.booked.venue.nameJa : step.booked.venue.nameEn}</dd>
              <dt>{t('callCentre.booked.dose')}</dt>
              <dd>{t('callCentre.record.dose', { n: step.booked.dose })}</dd>
              {step.booked.followUp && (
                <>
                  <dt>{t('callCentre.booked.followUp')}</dt>
                  <dd>{formats.dateTime(step.booked.followUp.slot.startsAt)}</dd>
                </>
              )}
            </dl>
            <ScriptLines scripts={lines} screen="readBack" />
            <ReadBack number={step.booked.number} parts={step.booked.readBack} />
            <ScriptLines scripts={lines} screen="close" />
            <div className="row-actions">
              <a className="button" href={postcardUrl(code, step.booked.number, i18n.language)} target="_blank" rel="noopener">
                {t('callCentre.booked.postcard')}
              </a>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => setStep({ step: 'caller', residentId: step.residentId })}
              >
                {t('callCentre.booked.backToCaller')}
              </button>
              <button type="button" className="button button-secondary" onClick={() => setStep({ step: 'search' })}>
                {t('callCentre.record.nextCall')}
              </button>
            </div>
          </section>
        )}
      </div>
    </Page>
  );
}
