import { useTranslation } from 'react-i18next';
import { useMunicipality } from '../../session/municipality';

/** While the waiting room is on, signing in needs a turn: this leads to the queue. */
export function WaitingRoomLink() {
  const { t, i18n } = useTranslation();
  const municipality = useMunicipality();
  return (
    <p>
      <a className="button button-secondary" href={`/waiting-room/?m=${municipality.code}&lang=${i18n.language}`}>
        {t('signIn.toWaitingRoom')}
      </a>
    </p>
  );
}
