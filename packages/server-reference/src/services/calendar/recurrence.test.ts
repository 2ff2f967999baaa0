import { describe, expect, it } from 'vitest';
import { occurrencesBetween, seriesEnd } from './recurrence.js';

const HOUR = 3_600_000;
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('recurrence', () => {
  // Mondays 10:00 in New York: EDT until 1 November 2026, EST after.
  const weekly = { start: new Date('2026-10-26T14:00:00Z'), durationMs: HOUR, timeZone: 'America/New_York', allDay: false, lines: ['RRULE:FREQ=WEEKLY;BYDAY=MO'] };

  it('keeps the wall-clock time across a DST change and honours EXDATE with its TZID', () => {
    const series = { ...weekly, lines: [...weekly.lines, 'EXDATE;TZID=America/New_York:20261109T100000'] };
    expect(iso(occurrencesBetween(series, new Date('2026-10-20T00:00:00Z'), new Date('2026-11-20T00:00:00Z')))).toEqual([
      '2026-10-26T14:00:00.000Z',
      '2026-11-02T15:00:00.000Z',
      '2026-11-16T15:00:00.000Z',
    ]);
  });

  it('skips the occurrences exceptions replace, and includes one that overlaps the window start', () => {
    const skip = new Set([Date.parse('2026-11-02T15:00:00Z')]);
    expect(iso(occurrencesBetween(weekly, new Date('2026-10-26T14:30:00Z'), new Date('2026-11-10T00:00:00Z'), skip))).toEqual(['2026-10-26T14:00:00.000Z', '2026-11-09T15:00:00.000Z']);
  });

  it('finds where a bounded series ends, and none for an endless one', () => {
    expect(seriesEnd(weekly)).toBeNull();
    expect(seriesEnd({ ...weekly, lines: ['RRULE:FREQ=DAILY;COUNT=3'] })?.toISOString()).toBe('2026-10-28T15:00:00.000Z');
    expect(seriesEnd({ ...weekly, lines: ['RRULE:FREQ=WEEKLY;UNTIL=20261110T000000Z'] })?.toISOString()).toBe('2026-11-09T16:00:00.000Z');
  });

  it('expands all-day series in UTC days', () => {
    const allDay = { start: new Date('2026-12-24T00:00:00Z'), durationMs: 24 * HOUR, timeZone: 'Europe/Rome', allDay: true, lines: ['RRULE:FREQ=YEARLY'] };
    expect(iso(occurrencesBetween(allDay, new Date('2027-12-01T00:00:00Z'), new Date('2028-01-01T00:00:00Z')))).toEqual(['2027-12-24T00:00:00.000Z']);
  });
});
