import { useTranslation } from 'react-i18next';
import type { ReadBackPart } from '../../api/types';
import { formatReservationNumber } from '../../../../shared/reservation-number';

/** The reservation number character by character, each with the word it is read out with. */
export function ReadBack({ number, parts }: { number: string; parts: ReadBackPart[] }) {
  const { t, i18n } = useTranslation();
  const shown = formatReservationNumber(number);
  return (
    <div className="read-back">
      <p className="read-back-number" aria-label={t('callCentre.readBack.numberLabel', { number: shown.split('').join(' ') })}>
        {shown}
      </p>
      <table className="table">
        <caption>{t('callCentre.readBack.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('callCentre.readBack.character')}</th>
            <th scope="col">{t('callCentre.readBack.reading')}</th>
          </tr>
        </thead>
        <tbody>
          {parts.map((part, i) => (
            <tr key={i}>
              <td className="read-back-character">{part.character}</td>
              <td>{i18n.language === 'ja' ? part.ja : part.en}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
