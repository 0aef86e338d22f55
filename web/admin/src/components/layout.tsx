import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useRoute } from 'wouter';
import { chooseLanguage, LANGUAGES } from '../i18n';
import { useSession } from '../session/session';

export function LanguageSwitcher() {
  const { i18n, t } = useTranslation();
  return (
    <nav className="languages" aria-label={t('site.languages')}>
      <ul>
        {LANGUAGES.map((language) => (
          <li key={language.code}>
            <button
              type="button"
              lang={language.code}
              className="language"
              aria-current={i18n.language === language.code ? 'true' : undefined}
              onClick={() => chooseLanguage(language.code)}
            >
              {language.name}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A link of the section navigation, marked as the current page where it is. */
function NavLink({ href, exact = false, children }: { href: string; exact?: boolean; children: ReactNode }) {
  const [here] = useRoute(href);
  const [inside] = useRoute(`${href}/*`);
  const current = here || (!exact && inside);
  return (
    <li>
      <Link href={href} className="nav-link" aria-current={current ? 'page' : undefined}>
        {children}
      </Link>
    </li>
  );
}

/** What a signed-in person may open: the sections of the municipality they act in, and the deployment's. */
function Navigation() {
  const { t } = useTranslation();
  const { state, may } = useSession();
  const [inMunicipality, params] = useRoute<{ code: string }>('/m/:code/*?');
  if (state.status !== 'signed-in') return null;
  const code = inMunicipality ? params.code : undefined;
  return (
    <nav className="nav" aria-label={t('nav.label')}>
      <div className="nav-inner">
        <ul>
          {code && (
            <>
              <NavLink href={`/m/${code}`} exact>
                {t('nav.overview')}
              </NavLink>
              {may(code, 'accounts.list') && <NavLink href={`/m/${code}/accounts`}>{t('nav.accounts')}</NavLink>}
              {may(code, 'settings.view') && <NavLink href={`/m/${code}/settings`}>{t('nav.settings')}</NavLink>}
              {may(code, 'audit.search') && <NavLink href={`/m/${code}/audit`}>{t('nav.audit')}</NavLink>}
              {may(code, 'schedule.manage') && <NavLink href={`/m/${code}/venues`}>{t('nav.schedule')}</NavLink>}
              {may(code, 'waiting-room.view') && <NavLink href={`/m/${code}/waiting-room`}>{t('nav.waitingRoom')}</NavLink>}
              {may(code, 'call-centre.search') && <NavLink href={`/m/${code}/call-centre`}>{t('nav.callCentre')}</NavLink>}
              {may(code, 'dashboard.view') && <NavLink href={`/m/${code}/dashboard`}>{t('nav.dashboard')}</NavLink>}
              {may(code, 'residents.import') && <NavLink href={`/m/${code}/import`}>{t('nav.import')}</NavLink>}
              {may(code, 'reports.lists') && <NavLink href={`/m/${code}/lists`}>{t('nav.lists')}</NavLink>}
              {may(code, 'reports.view') && <NavLink href={`/m/${code}/crosstab`}>{t('nav.crosstab')}</NavLink>}
              {may(code, 'notifications.usage') && <NavLink href={`/m/${code}/messages`}>{t('nav.messages')}</NavLink>}
            </>
          )}
          {!code && state.superAdmin && (
            <>
              <NavLink href="/municipalities">{t('nav.municipalities')}</NavLink>
              <NavLink href="/accounts">{t('nav.allAccounts')}</NavLink>
              <NavLink href="/audit">{t('nav.auditAll')}</NavLink>
              <NavLink href="/waiting-room">{t('nav.waitingRoomAll')}</NavLink>
              <NavLink href="/jobs">{t('nav.failedJobs')}</NavLink>
            </>
          )}
        </ul>
      </div>
    </nav>
  );
}

/** Which municipality the pages act in, and the way to another (the switcher is the start page). */
function MunicipalityBar() {
  const { t, i18n } = useTranslation();
  const { state, membership } = useSession();
  const [inMunicipality, params] = useRoute<{ code: string }>('/m/:code/*?');
  if (state.status !== 'signed-in' || !inMunicipality) return null;
  const found = membership(params.code);
  const name = found ? (i18n.language === 'ja' ? found.nameJa : found.nameEn) : params.code;
  const several = state.superAdmin || state.memberships.length > 1;
  return (
    <div className="context-bar">
      <div className="context-inner">
        <p className="context-name">
          <span className="visually-hidden">{t('nav.actingIn')} </span>
          {name} <span className="context-code">({params.code})</span>
        </p>
        {several && (
          <Link href="/" className="context-switch">
            {t('nav.switchMunicipality')}
          </Link>
        )}
      </div>
    </div>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { state, signOut } = useSession();
  return (
    <>
      <a href="#main" className="skip-link">
        {t('site.skip')}
      </a>
      <header className="header">
        <div className="header-inner">
          <Link href="/" className="site-name">
            {t('site.name')}
          </Link>
          <div className="header-tools">
            <LanguageSwitcher />
            {state.status === 'signed-in' && (
              <>
                <span className="who">
                  <span className="visually-hidden">{t('site.signedInAs')} </span>
                  {state.account.displayName || state.account.email}
                </span>
                <button type="button" className="button-link" onClick={() => void signOut()}>
                  {t('site.signOut')}
                </button>
              </>
            )}
          </div>
        </div>
      </header>
      <MunicipalityBar />
      <Navigation />
      <main id="main" className="main">
        {children}
      </main>
      <footer className="footer">
        <p>{t('site.footer')}</p>
      </footer>
    </>
  );
}
