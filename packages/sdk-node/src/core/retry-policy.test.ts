import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableStatus, parseRetryAfter, retryDelay } from './retry-policy.js';

const settings = { retryBaseDelay: 500, retryMaxDelay: 8000, maxRetryAfter: 60_000 };

describe('isRetryableStatus', () => {
  it('retries 408, 425, 429 and every 5xx', () => {
    for (const status of [408, 425, 429, 500, 501, 502, 503, 504, 599]) expect(isRetryableStatus(status, undefined)).toBe(true);
  });
  it('retries 409 only for IDEMPOTENCY_IN_PROGRESS', () => {
    expect(isRetryableStatus(409, 'IDEMPOTENCY_IN_PROGRESS')).toBe(true);
    expect(isRetryableStatus(409, 'ALREADY_EXISTS')).toBe(false);
    expect(isRetryableStatus(409, undefined)).toBe(false);
  });
  it('never retries other 4xx', () => {
    for (const status of [400, 401, 403, 404, 405, 413, 415, 422]) expect(isRetryableStatus(status, undefined)).toBe(false);
  });
});

describe('backoffDelay (full jitter)', () => {
  it('stays below min(cap, base * 2^(n-1)) and reaches 0 at the low end', () => {
    const almostOne = () => 0.999_999;
    expect(backoffDelay(1, settings, () => 0)).toBe(0);
    expect(backoffDelay(1, settings, almostOne)).toBe(499);
    expect(backoffDelay(2, settings, almostOne)).toBe(999);
    expect(backoffDelay(3, settings, almostOne)).toBe(1999);
    expect(backoffDelay(5, settings, almostOne)).toBe(7999);
    expect(backoffDelay(12, settings, almostOne)).toBe(7999);
  });

  it('spreads delays over the whole window with the real random source', () => {
    const samples = Array.from({ length: 400 }, () => backoffDelay(3, settings));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThan(2000);
    expect(new Set(samples).size).toBeGreaterThan(100);
    expect(samples.some((d) => d < 500)).toBe(true);
    expect(samples.some((d) => d > 1500)).toBe(true);
  });

  it('honours configured base and cap', () => {
    const custom = { retryBaseDelay: 10, retryMaxDelay: 25, maxRetryAfter: 0 };
    expect(backoffDelay(1, custom, () => 0.999)).toBe(9);
    expect(backoffDelay(4, custom, () => 0.999)).toBe(24);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delta-seconds, fractional too', () => {
    expect(parseRetryAfter({ 'retry-after': '3' }, now)).toBe(3000);
    expect(parseRetryAfter({ 'retry-after': '0.5' }, now)).toBe(500);
  });
  it('reads an HTTP date relative to now, and 0 for a past date', () => {
    expect(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }, now)).toBe(10_000);
    expect(parseRetryAfter({ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, now)).toBe(0);
  });
  it('prefers retry-after-ms', () => {
    expect(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' }, now)).toBe(250);
  });
  it('ignores unreadable or negative values', () => {
    expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(parseRetryAfter({ 'retry-after': '-3' }, now)).toBeUndefined();
    expect(parseRetryAfter({ 'retry-after-ms': 'abc', 'retry-after': '2' }, now)).toBe(2000);
    expect(parseRetryAfter({ 'retry-after-ms': '' }, now)).toBeUndefined();
    expect(parseRetryAfter({}, now)).toBeUndefined();
  });
  it('uses the first of repeated headers', () => {
    expect(parseRetryAfter({ 'retry-after': ['4', '8'] }, now)).toBe(4000);
  });
});

describe('retryDelay', () => {
  it('uses the server’s delay, clamped to maxRetryAfter', () => {
    expect(retryDelay(1, 1234, settings)).toBe(1234);
    expect(retryDelay(1, 120_000, settings)).toBe(60_000);
    expect(retryDelay(1, 0, settings)).toBe(0);
  });
  it('falls back to jittered backoff', () => {
    expect(retryDelay(2, undefined, settings, () => 0.5)).toBe(500);
  });
});
