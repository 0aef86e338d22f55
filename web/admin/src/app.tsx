import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Redirect, Route, Router, Switch } from 'wouter';
import { Layout } from './components/layout';
import { Page } from './components/page';
import { Loading } from './components/status';
import { AccountsPage } from './features/accounts/accounts-page';
import { AllAccountsPage } from './features/accounts/all-accounts-page';
import { InvitePage } from './features/accounts/invite-page';
import { MemberPage } from './features/accounts/member-page';
import { AuditPage } from './features/audit/audit-page';
import { CallCentrePage } from './features/call-centre/call-centre-page';
import { CheckInPage } from './features/check-in/check-in-page';
import { HomePage } from './features/home/home-page';
import { MunicipalityOverview } from './features/home/municipality-overview';
import { ImportPage } from './features/import/import-page';
import { ImportProgressPage } from './features/import/import-progress-page';
import { FailedJobsPage } from './features/jobs/failed-jobs-page';
import { ListsPage } from './features/lists/lists-page';
import { LinkPage } from './features/links/link-page';
import { MessagesPage } from './features/notifications/messages-page';
import { MunicipalitiesPage } from './features/municipalities/municipalities-page';
import { MunicipalityDetailsPage, NewMunicipalityPage } from './features/municipalities/municipality-form';
import { SettingsPage } from './features/municipalities/settings-page';
import { DayPage } from './features/schedule/day-page';
import { TemplatePage } from './features/schedule/template-page';
import { VenueFormPage } from './features/schedule/venue-form';
import { VenuesPage } from './features/schedule/venues-page';
import { SignInPage } from './features/sign-in/sign-in-page';
import { OperatorsPage } from './features/waiting-room/operators-page';
import { SessionProvider, useSession } from './session/session';

// The pages with charts load uPlot with them, not with the rest of the app.
const DashboardPage = lazy(() => import('./features/dashboard/dashboard-page'));
const CrossTabPage = lazy(() => import('./features/crosstab/crosstab-page'));

/** The staff app lives under /admin; its one-time links are /admin/enrol#… and /admin/reset-password#… */
export function App() {
  return (
    <Router base="/admin">
      <SessionProvider>
        <Layout>
          <Routes />
        </Layout>
      </SessionProvider>
    </Router>
  );
}

function Routes() {
  const { state } = useSession();
  return (
    <Switch>
      <Route path="/enrol">
        <LinkPage purpose="enrolment" />
      </Route>
      <Route path="/reset-password">
        <LinkPage purpose="password-reset" />
      </Route>
      <Route>
        {state.status === 'checking' ? <Loading /> : state.status === 'signed-out' ? <SignInPage ended={state.ended} /> : <SignedIn />}
      </Route>
    </Switch>
  );
}

function SignedIn() {
  return (
    <Switch>
      <Route path="/" component={HomePage} />
      <Route path="/sign-in">
        <Redirect to="/" />
      </Route>
      <Route path="/municipalities" component={MunicipalitiesPage} />
      <Route path="/municipalities/new" component={NewMunicipalityPage} />
      <Route path="/audit">
        <AuditPage />
      </Route>
      <Route path="/waiting-room">
        <OperatorsPage />
      </Route>
      <Route path="/jobs" component={FailedJobsPage} />
      <Route path="/accounts" component={AllAccountsPage} />
      <Route path="/m/:code">{(params) => <MunicipalityOverview code={params.code} />}</Route>
      <Route path="/m/:code/details">{(params) => <MunicipalityDetailsPage code={params.code} />}</Route>
      <Route path="/m/:code/settings">{(params) => <SettingsPage code={params.code} />}</Route>
      <Route path="/m/:code/accounts">{(params) => <AccountsPage code={params.code} />}</Route>
      <Route path="/m/:code/accounts/invite">{(params) => <InvitePage code={params.code} />}</Route>
      <Route path="/m/:code/accounts/:id">{(params) => <MemberPage code={params.code} accountId={Number(params.id)} />}</Route>
      <Route path="/m/:code/audit">{(params) => <AuditPage code={params.code} />}</Route>
      <Route path="/m/:code/venues">{(params) => <VenuesPage code={params.code} />}</Route>
      <Route path="/m/:code/venues/new">{(params) => <VenueFormPage code={params.code} />}</Route>
      <Route path="/m/:code/venues/:id">{(params) => <VenueFormPage code={params.code} venueId={Number(params.id)} />}</Route>
      <Route path="/m/:code/venues/:id/template">{(params) => <TemplatePage code={params.code} venueId={Number(params.id)} />}</Route>
      <Route path="/m/:code/venues/:id/day">{(params) => <DayPage code={params.code} venueId={Number(params.id)} />}</Route>
      <Route path="/m/:code/waiting-room">{(params) => <OperatorsPage code={params.code} />}</Route>
      <Route path="/m/:code/call-centre">{(params) => <CallCentrePage code={params.code} />}</Route>
      <Route path="/m/:code/check-in">{(params) => <CheckInPage code={params.code} />}</Route>
      <Route path="/m/:code/dashboard">
        {(params) => (
          <Suspense fallback={<Loading />}>
            <DashboardPage code={params.code} />
          </Suspense>
        )}
      </Route>
      <Route path="/m/:code/crosstab">
        {(params) => (
          <Suspense fallback={<Loading />}>
            <CrossTabPage code={params.code} />
          </Suspense>
        )}
      </Route>
      <Route path="/m/:code/import">{(params) => <ImportPage code={params.code} />}</Route>
      <Route path="/m/:code/import/:id">{(params) => <ImportProgressPage code={params.code} importId={Number(params.id)} />}</Route>
      <Route path="/m/:code/lists">{(params) => <ListsPage code={params.code} />}</Route>
      <Route path="/m/:code/messages">{(params) => <MessagesPage code={params.code} />}</Route>
      <Route>
        <NotFound />
      </Route>
    </Switch>
  );
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.text')}</p>
    </Page>
  );
}
