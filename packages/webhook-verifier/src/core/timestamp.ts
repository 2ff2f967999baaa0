import { WebhookVerificationError } from '../errors.js';
import type { VerifyOptions } from '../types.js';

const DEFAULT_TOLERANCE_SECONDS = 300;
// Date.parse accepts many loose formats; CareOS sends `toISOString()` output, so require ISO 8601
// with an explicit zone instead of guessing a local time.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses `webhook-timestamp` (Unix seconds: 1 to 12 digits, nothing else) into ms. */
export function unixSecondsHeader(value: string): number {
  // A digit loop rather than a regex plus Number(): this runs on every delivery.
  let seconds = 0;
  for (let i = 0; i < value.length; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) seconds = Number.NaN;
    seconds = seconds * 10 + digit;
  }
  if (value.length === 0 || value.length > 12 || Number.isNaN(seconds)) {
    throw new WebhookVerificationError('INVALID_TIMESTAMP', `webhook-timestamp is not a Unix time in seconds (got ${JSON.stringify(value.slice(0, 40))}).`);
  }
  return seconds * 1000;
}

/** Parses `X-CareOS-Timestamp` (ISO 8601) into ms. */
export function isoTimeHeader(value: string): number {
  const ms = ISO_8601.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new WebhookVerificationError(
      'INVALID_TIMESTAMP',
      `X-CareOS-Timestamp is not an ISO 8601 time such as 2026-01-08T12:00:00.000Z (got ${JSON.stringify(value.slice(0, 40))}).`,
    );
  }
  return ms;
}

/** Current time in ms from the options or the clock. */
export function nowMs(options: VerifyOptions): number {
  const now = options.now;
  return now === undefined ? Date.now() : typeof now === 'number' ? now : now.getTime();
}

/**
 * Fails when `signedAtMs` is further than the tolerance from `now`, in either direction,
 * saying by how much. `header` names the header the time came from.
 */
export function checkTolerance(signedAtMs: number, now: number, options: VerifyOptions, header: string): void {
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!(tolerance >= 0)) throw new RangeError(`toleranceSeconds must be a number >= 0, got ${String(options.toleranceSeconds)}`);
  const ageSeconds = (now - signedAtMs) / 1000;
  if (ageSeconds > tolerance) {
    throw new WebhookVerificationError(
      'TIMESTAMP_TOO_OLD',
      `The webhook was signed ${duration(ageSeconds)} ago (${header} ${new Date(signedAtMs).toISOString()}), ${duration(ageSeconds - tolerance)} beyond the ${duration(tolerance)} tolerance. ` +
        "It may be a replay: don't process it. If this server's clock is ahead, synchronise it (NTP); if you verify queued deliveries later, raise toleranceSeconds.",
    );
  }
  if (-ageSeconds > tolerance) {
    throw new WebhookVerificationError(
      'TIMESTAMP_TOO_NEW',
      `The webhook is dated ${duration(-ageSeconds)} in the future (${header} ${new Date(signedAtMs).toISOString()}), ${duration(-ageSeconds - tolerance)} beyond the ${duration(tolerance)} tolerance: ` +
        "this server's clock is probably behind; synchronise it (NTP).",
    );
  }
}

/** `95s`, `7m 12s`, `3h 5m`, `2d 4h`: precise enough to tell a slow queue from a wrong clock. */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 120) return `${s}s`;
  if (s < 7_200) return s % 60 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${s / 60}m`;
  if (s < 172_800) return `${Math.floor(s / 3_600)}h ${Math.floor((s % 3_600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3_600)}h`;
}
