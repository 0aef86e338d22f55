import type { CSSProperties, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { chooseLanguage, LANGUAGES } from '../i18n';

/**
 * Four names do not fit in one row of a 360 px phone, so the switch is two neat columns
 * (日本語 English / 简体中文 Português) at every width: each name stays whole on its button, every
 * button keeps its 44 px, and the sign-out button sits beside them, or below where there is no room.
 */
const switchLayout = {
  list: { display: 'grid', gridTemplateColumns: 'repeat(2, auto)', justifyItems: 'start', alignItems: 'center' },
  button: { whiteSpace: 'nowrap' },
  tools: { flexWrap: 'wrap' },
} satisfies Record<string, CSSProperties>;

/** Languages named in themselves; the current one marked for screen readers too. */
export function LanguageSwitcher() {
  const { i18n, t } = useTranslation();
  return (
    <nav className="languages" aria-label={t('site.languages')}>
      <ul style={switchLayout.list}>
        {LANGUAGES.map((language) => (
          <li key={language.code}>
            <button
              type="button"
              lang={language.code}
              className="language"
              style={switchLayout.button}
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

export function Layout({ title, homeHref, actions, footer, children }: { title: string; homeHref: string; actions?: ReactNode; footer?: ReactNode; children: ReactNode }) {
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
          <div className="header-tools" style={switchLayout.tools}>
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
