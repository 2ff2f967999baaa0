import { describe, expect, it } from 'vitest';
import { checkTolerance, duration, isoTimeHeader, unixSecondsHeader } from './timestamp.js';

describe('duration', () => {
  it('is exact for short spans and coarser for long ones', () => {
    expect([0, 59, 119, 120, 300, 432, 7_199, 7_200, 10_830, 172_800, 200_000].map(duration)).toEqual([
      '0s',
      '59s',
      '119s',
      '2m',
      '5m',
      '7m 12s',
      '119m 59s',
      '2h 0m',
      '3h 0m',
      '2d 0h',
      '2d 7h',
    ]);
  });
});

describe('checkTolerance', () => {
  const now = Date.UTC(2026, 0, 8, 12);

  it('passes inside the tolerance on both sides and fails just outside', () => {
    expect(() => checkTolerance(now - 300_000, now, {}, 'h')).not.toThrow();
    expect(() => checkTolerance(now + 300_000, now, {}, 'h')).not.toThrow();
    expect(() => checkTolerance(now - 300_001, now, {}, 'h')).toThrow(expect.objectContaining({ code: 'TIMESTAMP_TOO_OLD' }));
    expect(() => checkTolerance(now + 300_001, now, {}, 'h')).toThrow(expect.objectContaining({ code: 'TIMESTAMP_TOO_NEW' }));
  });

  it('names the header and its time, and accepts Infinity and 0', () => {
    expect(() => checkTolerance(now - 400_000, now, {}, 'webhook-timestamp')).toThrow('(webhook-timestamp 2026-01-08T11:53:20.000Z)');
    expect(() => checkTolerance(0, now, { toleranceSeconds: Infinity }, 'h')).not.toThrow();
    expect(() => checkTolerance(now, now, { toleranceSeconds: 0 }, 'h')).not.toThrow();
    expect(() => checkTolerance(now - 1_000, now, { toleranceSeconds: 0 }, 'h')).toThrow(expect.objectContaining({ code: 'TIMESTAMP_TOO_OLD' }));
    expect(() => checkTolerance(now, now, { toleranceSeconds: Number.NaN }, 'h')).toThrow(RangeError);
  });
});

describe('timestamp headers', () => {
  it('parses Unix seconds and ISO 8601 with a zone, nothing looser', () => {
    expect(unixSecondsHeader('1767873600')).toBe(1_767_873_600_000);
    expect(isoTimeHeader('2026-01-08T12:00:00.000Z')).toBe(Date.UTC(2026, 0, 8, 12));
    expect(isoTimeHeader('2026-01-08T07:00:00-05:00')).toBe(Date.UTC(2026, 0, 8, 12));
    expect(() => unixSecondsHeader('1767873600.5')).toThrow(expect.objectContaining({ code: 'INVALID_TIMESTAMP' }));
    expect(() => isoTimeHeader('Thu, 08 Jan 2026 12:00:00 GMT')).toThrow(expect.objectContaining({ code: 'INVALID_TIMESTAMP' }));
    expect(() => isoTimeHeader('2026-13-45T12:00:00Z')).toThrow(expect.objectContaining({ code: 'INVALID_TIMESTAMP' }));
  });
});
