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
