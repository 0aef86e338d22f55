import { useState } from 'react';

/**
 * The lot number of the vials in use, typed once and kept for this tab's session (sessionStorage):
 * a venue opens a new box a few times a day, not for every person.
 */
export function useLotNumber(municipalityCode: string): [string, (value: string) => void] {
  const key = `yoyaku.check-in.lot.${municipalityCode}`;
  const [value, setValue] = useState(() => {
    try {
      return sessionStorage.getItem(key) ?? '';
    } catch {
      return '';
    }
  });
  return [
    value,
    (next: string) => {
      setValue(next);
      try {
        sessionStorage.setItem(key, next);
      } catch {
        // Private mode without storage: the field still works for this page.
      }
    },
  ];
}
