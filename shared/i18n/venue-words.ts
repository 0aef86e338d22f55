/** What staff give for a venue: the Japanese and English columns, and texts per language code. */
export interface VenueFacts {
  nameJa: string;
  nameEn: string;
  address: string;
  accessNotes: string | null;
  texts: Record<string, { name?: string; address?: string; accessNotes?: string }>;
}

export interface VenueWords {
  name: string;
  address: string;
  accessNotes: string | null;
  /** The language the words are in (for `lang` when it is not the page's). */
  lang: { name: string; address: string; accessNotes: string };
}

/**
 * A venue's name, address and access notes in the reader's language, from what staff gave
 * (venues.texts, migration 0005). Each falls back on its own: Japanese and やさしい日本語 to the
 * Japanese columns (やさしい日本語 first to its own text); every other language to its own text,
 * then the English one, then the columns (the name's English column, the Japanese address).
 */
export function venueWords(venue: VenueFacts, language: string): VenueWords {
  const own = venue.texts[language] ?? {};
  const english = venue.texts.en ?? {};
  if (language === 'ja' || language.startsWith('ja-')) {
    const pick = (mine: string | undefined, base: string) => ({ text: mine ?? base, lang: mine ? language : 'ja' });
    const [name, address, notes] = [
      pick(own.name, venue.nameJa),
      pick(own.address, venue.address),
      pick(own.accessNotes, venue.accessNotes ?? ''),
    ];
    return {
      name: name.text,
      address: address.text,
      accessNotes: notes.text || null,
      lang: { name: name.lang, address: address.lang, accessNotes: notes.lang },
    };
  }
  const pick = (mine: string | undefined, en: string | undefined, base: string, baseLang: string) =>
    mine ? { text: mine, lang: language } : en ? { text: en, lang: 'en' } : { text: base, lang: baseLang };
  const name = pick(own.name, english.name, venue.nameEn, 'en');
  const address = pick(own.address, english.address, venue.address, 'ja');
  const notes = pick(own.accessNotes, english.accessNotes, venue.accessNotes ?? '', 'ja');
  return {
    name: name.text,
    address: address.text,
    accessNotes: notes.text || null,
    lang: { name: name.lang, address: address.lang, accessNotes: notes.lang },
  };
}
