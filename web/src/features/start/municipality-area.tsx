import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Switch } from 'wouter';
import { api, ApiProblem } from '../../api/client';
import type { Municipality } from '../../api/types';
import { Layout } from '../../components/layout';
import { problemMessage, setCallCentrePhone } from '../../components/problem-message';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { isJapanese, MunicipalityContext } from '../../session/municipality';
import { RequireSession, SessionProvider, useSession } from '../../session/session';
import { CalendarPage } from '../booking/calendar-page';
import { ConfirmPage } from '../booking/confirm-page';
import { SlotsPage } from '../booking/slots-page';
import { VenuesPage } from '../booking/venues-page';
import { TogetherDonePage } from '../booking/together-done-page';
import { TogetherPage } from '../booking/together-page';
import { AddFamilyPage } from '../family/add-family-page';
import { CancelPage } from '../reservations/cancel-page';
import { LookupPage } from '../reservations/lookup-page';
import { MyReservationsPage } from '../reservations/my-reservations-page';
import { PreferencesPage } from '../notifications/preferences-page';
import { ReservationPage } from '../reservations/reservation-page';
import { CodeStep } from '../sign-in/code-step';
import { PhoneStep } from '../sign-in/phone-step';
import { VoucherStep } from '../sign-in/voucher-step';
import { StartPage } from './start-page';

export function MunicipalityArea({ code }: { code: string }) {
  const { t, i18n } = useTranslation();
  const municipality = useResource(() => api<Municipality>('GET', `/municipalities/${encodeURIComponent(code)}`), [code]);

  if (municipality.state !== 'ready') {
    return (
      <Layout title={t('site.name')} homeHref="/">
        {municipality.state === 'loading' ? <Loading /> : <LoadError problem={municipality.problem} onRetry={municipality.retry} />}
      </Layout>
    );
  }
  const m = municipality.data;
  setCallCentrePhone(m.callCentrePhone);
  const name = isJapanese(i18n.language) ? m.nameJa : m.nameEn;
  return (
    <MunicipalityContext.Provider value={m}>
      <SessionProvider>
        <Layout
          title={t('site.title', { municipality: name })}
          homeHref="/"
          actions={<SignOutButton />}
          footer={
            <>
              {m.callCentrePhone && (
                <p>
                  {t('site.callCentre')} <a href={`tel:${m.callCentrePhone.replace(/[^\d+]/g, '')}`}>{m.callCentrePhone}</a>
                </p>
              )}
              <p>{t('site.footer', { municipality: name })}</p>
            </>
          }
        >
          <Switch>
            <Route path="/">
              <StartPage />
            </Route>
            <Route path="/sign-in">
              <VoucherStep />
            </Route>
            <Route path="/sign-in/phone">
              <PhoneStep />
            </Route>
            <Route path="/sign-in/code">
              <CodeStep />
            </Route>
            <Route path="/lookup">
              <LookupPage />
            </Route>
            <Route path="/reservations">
              <RequireSession>{(me) => <MyReservationsPage me={me} />}</RequireSession>
            </Route>
            <Route path="/reservations/:number">
              {(params) => <RequireSession>{(me) => <ReservationPage me={me} number={params.number} />}</RequireSession>}
            </Route>
            <Route path="/reservations/:number/cancel">
              {(params) => <RequireSession>{() => <CancelPage number={params.number} />}</RequireSession>}
            </Route>
            <Route path="/messages">
              <RequireSession>{() => <PreferencesPage />}</RequireSession>
            </Route>
            <Route path="/family/add">
              <RequireSession>{() => <AddFamilyPage />}</RequireSession>
            </Route>
            <Route path="/book/together">
              <RequireSession>{(me) => <TogetherPage me={me} />}</RequireSession>
            </Route>
            <Route path="/booked">
              <RequireSession>{() => <TogetherDonePage />}</RequireSession>
            </Route>
            <Route path="/book">
              <RequireSession>{(me) => <VenuesPage me={me} />}</RequireSession>
            </Route>
            <Route path="/book/:venueId">
              {(params) => <RequireSession>{(me) => <CalendarPage me={me} venueId={Number(params.venueId)} />}</RequireSession>}
            </Route>
            <Route path="/book/:venueId/:date">
              {(params) => (
                <RequireSession>{(me) => <SlotsPage me={me} venueId={Number(params.venueId)} date={params.date} />}</RequireSession>
              )}
            </Route>
            <Route path="/book/:venueId/:date/:slotId">
              {(params) => (
                <RequireSession>
                  {(me) => <ConfirmPage me={me} venueId={Number(params.venueId)} date={params.date} slotId={Number(params.slotId)} />}
                </RequireSession>
              )}
            </Route>
            <Route>
              <NotFound />
            </Route>
          </Switch>
        </Layout>
      </SessionProvider>
    </MunicipalityContext.Provider>
  );
}

function SignOutButton() {
  const { t } = useTranslation();
  const session = useSession();
  const [failure, setFailure] = useState<string>();
  if (session.status !== 'signed-in') return null;
  const signOut = () => {
    setFailure(undefined);
    session
      .signOut()
      .catch((error: unknown) => setFailure(problemMessage(t, error instanceof ApiProblem ? error : new ApiProblem('internal', 0))));
  };
  return (
    <>
      <button type="button" className="button-link" onClick={signOut}>
        {t('site.signOut')}
      </button>
      {failure && (
        <span className="header-alert" role="alert">
          {failure}
        </span>
      )}
    </>
  );
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t('start.notFoundTitle')}</h1>
      <p>{t('start.notFoundText')}</p>
    </>
  );
}
