import { getTimezone } from 'countries-and-timezones';
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode, type NumberType } from 'libphonenumber-js/max';

/** Kinds of number that can receive a text; a fixed line, a pager or an IP phone cannot. */
const CAN_RECEIVE_SMS = new Set<NumberType>(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/**
 * The region whose way of writing numbers residents use: the country of the municipality's time
 * zone (Asia/Seoul → KR), Japan when it names none.
 */
export function phoneRegionOf(timeZone: string): CountryCode {
  const country = getTimezone(timeZone)?.countries[0];
  return country && isSupportedCountry(country) ? country : 'JP';
}

/**
 * A mobile number in E.164 (+819012345678), so that every spelling of one handset is one number
 * to the limits and to the SMS provider: 090-1234-5678, +81 90…, +81 090… and 0081 90… are the
 * same phone. Accepts what people type (full-width digits, spaces, hyphens, brackets). Undefined
 * for anything that is not a valid number of a kind that can receive texts.
 */
export function normalisePhone(raw: string, region: CountryCode): string | undefined {
  const typed = raw.normalize('NFKC').replace(/[\s\-‐()（）.]/g, '');
  if (!/^\+?\d{10,15}$/.test(typed)) return undefined;
  // 00 is the international prefix of most countries, though not Japan's (010): a number copied
  // in that form is read as +…, once the region's own reading has found no phone.
  const readings = typed.startsWith('00') ? [typed, `+${typed.slice(2)}`] : [typed];
  for (const reading of readings) {
    const parsed = parsePhoneNumberFromString(reading, region);
    if (!parsed?.isValid()) continue;
    const type = parsed.getType();
    return type === undefined || CAN_RECEIVE_SMS.has(type) ? parsed.number : undefined;
  }
  return undefined;
}
