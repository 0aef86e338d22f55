import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { chooseLanguage, LANGUAGES } from '../i18n';

/** Languages named in themselves; the current one marked for screen readers too. */
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

export function Layout({
  title,
  homeHref,
  actions,
  footer,
  children,
}: {
  title: string;
  homeHref: string;
  actions?: ReactNode;
  footer?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <>
      <a href="#main" className="skip-link">
        {t('site.skip')}
      </a>
      <header className="header">
        <div className="header-inner">
          <Link href={homeHref} className="site-name">
            {title}
          </Link>
          <div className="header-tools">
            <LanguageSwitcher />
            {actions}
          </div>
        </div>
      </header>
      <main id="main" className="main">
        {children}
      </main>
      <footer className="footer">{footer}</footer>
    </>
  );
}
