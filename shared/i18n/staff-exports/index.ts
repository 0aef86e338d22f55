import en from './en.json' with { type: 'json' };
import ja from './ja.json' with { type: 'json' };

/** The words of staff downloads (lists, reports), in the staff member's language. */
export type StaffLanguage = 'ja' | 'en';
export type StaffExportKey = keyof typeof en;

const texts: Record<StaffLanguage, Record<string, string>> = { ja, en };

export function staffText(language: StaffLanguage, key: StaffExportKey, values: Record<string, string | number> = {}): string {
  const template = texts[language][key] ?? texts.ja[key] ?? key;
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));
}
