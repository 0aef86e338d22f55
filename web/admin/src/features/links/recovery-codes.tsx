import { useTranslation } from 'react-i18next';

/** The ten recovery codes, shown this once: each works once, in place of the authenticator's code. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  const { t } = useTranslation();
  return (
    <>
      <div className="notice notice-warning">
        <p className="warning-text">{t('enrol.codesWarning')}</p>
      </div>
      <p>{t('enrol.codesIntro', { count: codes.length })}</p>
      <ol className="recovery-codes" aria-label={t('enrol.codesLabel')}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
    </>
  );
}
