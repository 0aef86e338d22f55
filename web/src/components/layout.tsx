import { useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { chooseLanguage, LANGUAGES, type LanguageCode } from '../i18n';

/**
 * Fifteen languages, each named in itself, behind one button so that the header stays small on a
 * phone with large text. Each option carries its own `lang` (a screen reader reads 한국어 as
 * Korean); the current one is marked. Choosing closes the menu and keeps focus on its button.
 */
export function LanguageSwitcher() {
  const { i18n, t } = useTranslation();
  const menu = useRef<HTMLDetailsElement>(null);
  const current = LANGUAGES.find((l) => l.code === i18n.language) ?? LANGUAGES[0];
  const choose = (code: LanguageCode) => {
    void chooseLanguage(code);
    if (menu.current) menu.current.open = false;
    menu.current?.querySelector('summary')?.focus();
  };
  return (
    <details className="languages" ref={menu}>
      <summary className="languages-button">
        <span className="visually-hidden">{t('site.languages')}: </span>
        <span lang={current.code}>{current.name}</span>
      </summary>
      <ul className="languages-list" aria-label={t('site.languages')}>
        {LANGUAGES.map((language) => (
          <li key={language.code}>
            <button
              type="button"
              lang={language.code}
              className="language"
              aria-current={current.code === language.code ? 'true' : undefined}
              onClick={() => choose(language.code)}
            >
              {language.name}
            </button>
          </li>
        ))}
      </ul>
    </details>
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
