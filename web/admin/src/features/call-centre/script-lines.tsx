import { useTranslation } from 'react-i18next';
import type { CallScripts } from '../../api/types';

export type ScriptScreen = keyof CallScripts;

/** The few lines the operator says on this screen, as the municipality wrote them. */
export function ScriptLines({ scripts, screen }: { scripts: CallScripts | undefined; screen: ScriptScreen }) {
  const { t, i18n } = useTranslation();
  const lines = scripts?.[screen]?.[i18n.language === 'ja' ? 'ja' : 'en'] ?? [];
  if (lines.length === 0) return null;
  return (
    <aside className="script" aria-labelledby={`script-${screen}`}>
      <h2 id={`script-${screen}`} className="script-title">
        {t('callCentre.script')}
      </h2>
      <ul>
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </aside>
  );
}
