import { useTranslation } from 'react-i18next';
import type { BookingParams } from './booking-params';
import { formatReservationNumber } from '../../i18n/format';

/** Repeats, on every step, for whom and for which dose this booking is. */
export function PersonBanner({ params }: { params: BookingParams }) {
  const { t } = useTranslation();
  const dose = params.window?.dose;
  return (
    <p className="person-banner">
      {params.together
        ? t('together.banner', { names: params.together.map((p) => p.nameKanji).join(t('mine.separator')) })
        : params.change
          ? t('booking.changingFor', { name: params.person.nameKanji, dose, number: formatReservationNumber(params.change) })
          : t('booking.bookingFor', { name: params.person.nameKanji, dose })}
    </p>
  );
}
