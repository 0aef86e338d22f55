import { useTranslation } from 'react-i18next';
import { venueWords, type VenueFacts } from '../../../../shared/i18n/venue-words';

export { venueWords };

/** The venue's words in the page's language (shared/i18n/venue-words.ts has the fallback rules). */
export function useVenueWords() {
  const { i18n } = useTranslation();
  return (venue: VenueFacts) => venueWords(venue, i18n.language);
}
