import { describe, expect, it } from 'vitest';
import { instantOf, parseQuietHours, quietUntil } from './quiet-hours.js';

const NIGHT = { start: '21:00', end: '08:00' };
const at = (iso: string) => new Date(iso);

describe('quietUntil', () => {
  it('lets a message go outside the window', () => {
    expect(quietUntil(at('2026-06-10T16:00:00Z'), 'America/New_York', NIGHT)).toBeNull(); // 12:00 EDT
    expect(quietUntil(at('2026-06-10T00:59:00Z'), 'America/New_York', NIGHT)).toBeNull(); // 20:59 EDT
    expect(quietUntil(at('2026-06-10T12:00:00Z'), 'America/New_York', NIGHT)).toBeNull(); // 08:00 EDT: open
  });

  it('defers an evening message to the next morning across midnight', () => {
    // 21:00 EDT on 10 June → 08:00 EDT on 11 June.
    expect(quietUntil(at('2026-06-11T01:00:00Z'), 'America/New_York', NIGHT)).toEqual(at('2026-06-11T12:00:00Z'));
    // 23:59 EDT on 31 December → 08:00 EST on 1 January, across the year.
    expect(quietUntil(at('2027-01-01T04:59:00Z'), 'America/New_York', NIGHT)).toEqual(at('2027-01-01T13:00:00Z'));
  });

  it('defers an early-morning message to the same morning', () => {
    // 03:00 EDT → 08:00 EDT the same day.
    expect(quietUntil(at('2026-06-10T07:00:00Z'), 'America/New_York', NIGHT)).toEqual(at('2026-06-10T12:00:00Z'));
  });

  it('opens at 08:00 local on both sides of a daylight-saving change', () => {
    // Spring forward (8 March 2026): 22:00 EST on the 7th → 08:00 EDT on the 8th, 12:00Z.
    expect(quietUntil(at('2026-03-08T03:00:00Z'), 'America/New_York', NIGHT)).toEqual(at('2026-03-08T12:00:00Z'));
    // Fall back (1 November 2026): 22:00 EDT on 31 October → 08:00 EST on 1 November, 13:00Z.
    expect(quietUntil(at('2026-11-01T02:00:00Z'), 'America/New_York', NIGHT)).toEqual(at('2026-11-01T13:00:00Z'));
    // Europe changes on another day: 23:00 CET on 28 March 2026 → 08:00 CEST on the 29th.
    expect(quietUntil(at('2026-03-28T22:00:00Z'), 'Europe/Berlin', NIGHT)).toEqual(at('2026-03-29T06:00:00Z'));
  });

  it('handles a window that does not cross midnight and an empty one', () => {
    const lunch = { start: '12:00', end: '13:30' };
    expect(quietUntil(at('2026-06-10T12:15:00Z'), 'UTC', lunch)).toEqual(at('2026-06-10T13:30:00Z'));
    expect(quietUntil(at('2026-06-10T13:30:00Z'), 'UTC', lunch)).toBeNull();
    expect(quietUntil(at('2026-06-10T03:00:00Z'), 'UTC', { start: '09:00', end: '09:00' })).toBeNull();
  });

  it('uses the zone of the business, not of the server', () => {
    // 06:00Z is 23:00 on the 9th in Los Angeles (quiet) but 15:00 in Tokyo (open).
    expect(quietUntil(at('2026-06-10T06:00:00Z'), 'America/Los_Angeles', NIGHT)).toEqual(at('2026-06-10T15:00:00Z'));
    expect(quietUntil(at('2026-06-10T06:00:00Z'), 'Asia/Tokyo', NIGHT)).toBeNull();
  });
});

describe('instantOf', () => {
  it('moves a time skipped by spring-forward past the gap, and takes the first of a repeated time', () => {
    expect(instantOf(2026, 3, 8, 2 * 60 + 30, 'America/New_York')).toEqual(at('2026-03-08T07:30:00Z')); // 03:30 EDT
    expect(instantOf(2026, 11, 1, 60 + 30, 'America/New_York')).toEqual(at('2026-11-01T05:30:00Z')); // first 01:30, EDT
    expect(instantOf(2026, 7, 1, 9 * 60, 'Asia/Kolkata')).toEqual(at('2026-07-01T03:30:00Z'));
  });
});

describe('parseQuietHours', () => {
  it('reads HH:MM-HH:MM and refuses anything else', () => {
    expect(parseQuietHours('21:00-08:00')).toEqual(NIGHT);
    for (const bad of ['21:00', '24:00-08:00', '9:00-17:00', '21:00-08:60', '']) expect(parseQuietHours(bad)).toBeNull();
  });
});
