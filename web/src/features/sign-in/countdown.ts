import { useEffect, useState } from 'react';

/** Seconds left until an instant, updated every second (never below zero). */
export function useSecondsLeft(until: string | undefined): number {
  const compute = () => (until ? Math.max(0, Math.ceil((Date.parse(until) - Date.now()) / 1000)) : 0);
  const [left, setLeft] = useState(compute);
  useEffect(() => {
    setLeft(compute());
    const timer = window.setInterval(() => setLeft(compute()), 1000);
    return () => window.clearInterval(timer);
  }, [until]); // eslint-disable-line react-hooks/exhaustive-deps
  return left;
}

export function minutesSeconds(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * Time left in whole minutes, in the page's language by Intl ("4 minutes", "4分", "4 phút"):
 * a text that changes once a minute, so a status region around it does not speak every second,
 * and nobody is hurried by a ticking clock.
 */
export function calmMinutes(locale: string, seconds: number): string {
  return new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'long' }).format(Math.max(1, Math.ceil(seconds / 60)));
}
