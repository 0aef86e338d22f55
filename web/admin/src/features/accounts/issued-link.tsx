import { useTranslation } from 'react-i18next';
import type { IssuedLink as Link } from '../../api/types';
import { formatInstant } from './format';

/** A one-time link to hand over in person or by a trusted channel: shown once, never sent by the server. */
export function IssuedLink({ link }: { link: Link }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="panel-link" role="status">
      <h2>{link.purpose === 'enrolment' ? t('links.enrolmentTitle') : t('links.resetTitle')}</h2>
      <p>{t('links.handOver')}</p>
      <p className="secret one-time-link" data-testid="one-time-link">
        {link.url}
      </p>
      <p>{t('links.expires', { at: formatInstant(link.expiresAt, i18n.language) })}</p>
    </div>
  );
}
