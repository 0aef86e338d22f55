import { describe, expect, it } from 'vitest';
import { buildIcs } from './ics.js';

const event = {
  uid: 'ABCD2345@yoyaku',
  start: new Date('2026-12-03T05:30:00Z'),
  durationMinutes: 30,
  summary: 'ワクチン接種 1回目 (千代田区役所, 4階)',
  location: '東京都千代田区九段南1-2-1; 4F',
  description: '予約番号: ABCD-2345\nPlease bring your voucher',
  stamp: new Date('2026-11-30T00:00:00Z'),
};

/** Undoes RFC 5545 line folding (CRLF followed by one space). */
const unfold = (ics: string) => ics.replace(/\r\n /g, '');

describe('buildIcs', () => {
  const ics = buildIcs(event);

  it('is one event in UTC, with start, end and a reminder the day before', () => {
    const lines = unfold(ics).split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('DTSTART:20261203T053000Z');
    expect(lines).toContain('DTEND:20261203T060000Z');
    expect(lines).toContain('DTSTAMP:20261130T000000Z');
    expect(lines).toContain('UID:ABCD2345@yoyaku');
    expect(lines).toContain('TRIGGER:-P1D');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });

  it('escapes commas, semicolons and new lines in text', () => {
    const lines = unfold(ics).split('\r\n');
    expect(lines).toContain('SUMMARY:ワクチン接種 1回目 (千代田区役所\\, 4階)');
    expect(lines).toContain('LOCATION:東京都千代田区九段南1-2-1\\; 4F');
    expect(lines).toContain('DESCRIPTION:予約番号: ABCD-2345\\nPlease bring your voucher');
  });

  it('folds lines at 75 octets without splitting a character', () => {
    const long = buildIcs({ ...event, description: 'あ'.repeat(100) });
    const encoder = new TextEncoder();
    for (const line of long.split('\r\n')) expect(encoder.encode(line).length).toBeLessThanOrEqual(75);
    expect(unfold(long)).toContain(`DESCRIPTION:${'あ'.repeat(100)}`);
    // No replacement characters: every multi-byte character stayed whole.
    expect(long).not.toContain('\uFFFD');
  });
});
