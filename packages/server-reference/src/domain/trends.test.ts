import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, dayOf, parseDayOrInstant } from './calendar.js';
import { interactionRatio, mean, streakOf, trendOf } from './trends.js';

describe('calendar days', () => {
  it('moves across months and years in UTC', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2026-02-05', '2026-02-12')).toBe(7);
    expect(dayOf(new Date('2026-02-12T23:59:59Z'))).toBe('2026-02-12');
    expect(parseDayOrInstant('2026-02-19').toISOString()).toBe('2026-02-19T00:00:00.000Z');
  });
});

describe('trends', () => {
  it('averages, and compares averages with a threshold', () => {
    expect(mean([])).toBeNull();
    expect(mean([6, 7])).toBe(6.5);
    expect(trendOf(5, 6)).toBe('improving');
    expect(trendOf(6, 5.6)).toBe('stable');
    expect(trendOf(6, 5)).toBe('declining');
    expect(trendOf(null, 5)).toBe('stable');
  });

  it('computes the 5:1 ratio, undefined without negatives', () => {
    expect(interactionRatio(5, 1)).toBe(5);
    expect(interactionRatio(7, 3)).toBe(2.33);
    expect(interactionRatio(4, 0)).toBeNull();
  });

  it('counts a streak up to today, or up to yesterday before today is logged', () => {
    const days = new Set(['2026-02-10', '2026-02-11', '2026-02-12', '2026-02-08']);
    expect(streakOf(days, '2026-02-12')).toBe(3);
    expect(streakOf(days, '2026-02-13')).toBe(3);
    expect(streakOf(days, '2026-02-14')).toBe(0);
  });
});
