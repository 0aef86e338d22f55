import { useTranslation } from 'react-i18next';
import { Route, Switch } from 'wouter';
import { Layout } from './components/layout';
import { Page } from './components/page';
import { MunicipalityArea } from './features/start/municipality-area';

/** Routes: everything a resident does lives under their municipality's link, /m/{code}/… */
export function App() {
  return (
    <Switch>
      <Route path="/m/:code" nest>
        {(params) => <MunicipalityArea code={params.code} />}
      </Route>
      <Route>
        <NoMunicipality />
      </Route>
    </Switch>
  );
}

/** Opened without the municipality's link (e.g. a typed address): say where to find it. */
function NoMunicipality() {
  const { t } = useTranslation();
  return (
    <Layout title={t('site.name')} homeHref="/">
      <Page title={t('start.noMunicipalityTitle')}>
        <p>{t('start.noMunicipalityText')}</p>
      </Page>
    </Layout>
  );
}
