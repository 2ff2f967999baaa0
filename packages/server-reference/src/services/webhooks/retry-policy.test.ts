import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE_SECONDS } from '../../config/webhook-config.js';
import { jittered, nextAttemptAt, parseRetryAfter, RETRY_WINDOW_MS } from './retry-policy.js';

const schedule = DEFAULT_RETRY_SCHEDULE_SECONDS.map((s) => s * 1000);
const start = new Date('2026-03-01T10:00:00Z');
const at = (ms: number) => new Date(start.getTime() + ms);
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('parseRetryAfter', () => {
  const now = new Date('2026-03-01T10:00:00Z');
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Sun, 01 Mar 2026 10:05:00 GMT', now)).toBe(5 * MIN);
    expect(parseRetryAfter(['30', '60'], now)).toBe(30_000);
  });
  it('treats a past date as now, and ignores what is not a Retry-After', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 09:00:00 GMT', now)).toBe(0);
    for (const junk of [undefined, '', '1.5', '-3', 'soon', 'next week']) expect(parseRetryAfter(junk, now)).toBeNull();
  });
});

describe('nextAttemptAt', () => {
  const noJitter = () => 0.5;
  it('follows the schedule after each failure, then gives up after the last attempt', () => {
    let now = start;
    const times: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const next = nextAttemptAt({ attempt, scheduleMs: schedule, now, seriesStartedAt: start, retryAfterMs: null, random: noJitter })!;
      times.push(next.getTime() - now.getTime());
      now = next;
    }
    expect(times).toEqual([5 * MIN, 30 * MIN, 2 * HOUR, 12 * HOUR]);
    expect(nextAttemptAt({ attempt: 5, scheduleMs: schedule, now, seriesStartedAt: start, retryAfterMs: null })).toBeNull();
    expect(now.getTime() - start.getTime()).toBeLessThan(RETRY_WINDOW_MS);
  });

  it('jitters each delay by at most 20 % either way', () => {
    expect(jittered(1000, () => 0)).toBe(800);
    expect(jittered(1000, () => 0.999999)).toBe(1200);
    expect(jittered(0, () => 0)).toBe(0);
  });

  it('waits longer when Retry-After asks for it, never shorter', () => {
    const base = { attempt: 1, scheduleMs: schedule, now: start, seriesStartedAt: start, random: noJitter };
    expect(nextAttemptAt({ ...base, retryAfterMs: 20 * MIN })).toEqual(at(20 * MIN));
    expect(nextAttemptAt({ ...base, retryAfterMs: 10_000 })).toEqual(at(5 * MIN));
  });

  it('keeps every attempt within 24 h of the first, and stops once that window has passed', () => {
    const late = at(23 * HOUR);
    expect(nextAttemptAt({ attempt: 2, scheduleMs: schedule, now: late, seriesStartedAt: start, retryAfterMs: 48 * HOUR })).toEqual(at(RETRY_WINDOW_MS));
    expect(nextAttemptAt({ attempt: 3, scheduleMs: schedule, now: at(23.9 * HOUR), seriesStartedAt: start, retryAfterMs: null, random: noJitter })).toEqual(at(RETRY_WINDOW_MS));
    expect(nextAttemptAt({ attempt: 3, scheduleMs: schedule, now: at(RETRY_WINDOW_MS), seriesStartedAt: start, retryAfterMs: null })).toBeNull();
  });
});
