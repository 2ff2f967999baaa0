import { addDays } from './calendar.js';

/** Rounds to `digits` decimals (for figures shown to people). */
export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** The mean of `values`, or `null` for none. */
export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Positive over negative interactions, or `null` when there were no negative ones (the ratio is unbounded). */
export function interactionRatio(positive: number, negative: number): number | null {
  return negative === 0 ? null : round(positive / negative, 2);
}

/** A change of at least this much in average mood (1-10 scale) counts as a trend, not noise. */
export const MOOD_TREND_THRESHOLD = 0.5;

/** `improving`, `declining` or `stable`, comparing the current average with the previous one. */
export function trendOf(previous: number | null, current: number | null, threshold = MOOD_TREND_THRESHOLD): 'improving' | 'declining' | 'stable' {
  if (previous === null || current === null) return 'stable';
  const change = current - previous;
  if (change >= threshold) return 'improving';
  if (change <= -threshold) return 'declining';
  return 'stable';
}

/**
 * Consecutive completed days ending today, or ending yesterday when today has no check-in yet
 * (a streak is not broken before the day is over).
 */
export function streakOf(completedDays: ReadonlySet<string>, today: string): number {
  let day = completedDays.has(today) ? today : addDays(today, -1);
  let streak = 0;
  while (completedDays.has(day)) {
    streak += 1;
    day = addDays(day, -1);
  }
  return streak;
}
