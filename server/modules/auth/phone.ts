/**
 * A mobile number as digits with an optional leading +: accepts what people type
 * (full-width digits, spaces, hyphens, brackets). Returns undefined for anything else.
 */
export function normalisePhone(raw: string): string | undefined {
  const value = raw.normalize('NFKC').replace(/[\s\-‐()（）.]/g, '');
  if (!/^\+?\d{10,15}$/.test(value)) return undefined;
  return value;
}
