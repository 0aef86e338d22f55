import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Reservation } from '../../api/types';
import { formatReservationNumber, useFormat } from '../../i18n/format';
import { useLocalName, useMunicipality } from '../../session/municipality';

/** One reservation's facts, as on the confirmation and in "My reservations". */
export function ReservationFacts({ reservation, children }: { reservation: Reservation; children?: ReactNode }) {
  const { t } = useTranslation();
  const municipality = useMunicipality();
  const format = useFormat(municipality.timeZone);
  const localName = useLocalName();
  return (
    <dl className="facts">
      <dt>{t('reservation.number')}</dt>
      <dd className="reservation-number-small">{formatReservationNumber(reservation.number)}</dd>
      <dt>{t('confirm.person')}</dt>
      <dd>{reservation.personName}</dd>
      <dt>{t('confirm.dose')}</dt>
      <dd>{t('confirm.doseValue', { dose: reservation.dose })}</dd>
      <dt>{t('confirm.date')}</dt>
      <dd>
        {format.dayOf(reservation.slot.startsAt)} {format.time(reservation.slot.startsAt)}
      </dd>
      <dt>{t('confirm.venue')}</dt>
      <dd>
        {localName(reservation.venue)}
        <br />
        {reservation.venue.address}
        {reservation.venue.mapUrl && (
          <>
            {' '}
            <a href={reservation.venue.mapUrl} target="_blank" rel="noopener noreferrer">
              {t('booking.map')}
              <span className="visually-hidden"> ({t('common.newWindow')})</span>
            </a>
          </>
        )}
      </dd>
      <dt>{t('confirm.vaccine')}</dt>
      <dd>{localName(reservation.vaccine)}</dd>
      <dt>{t('reservation.status')}</dt>
      <dd>{t(`reservation.statuses.${reservation.status}`, { defaultValue: reservation.status })}</dd>
      {children}
    </dl>
  );
}
