import { ErrorCode } from '@careos/contract';
import { headerValue, type ResponseHeaders } from './headers.js';

/** The knobs of the retry policy (resolved client options, per-request overrides applied). */
export interface RetrySettings {
  /** Base of the exponential backoff, ms. */
  retryBaseDelay: number;
  /** Cap of the exponential backoff, ms. */
  retryMaxDelay: number;
  /** Longest server-requested delay (`Retry-After`) honoured, ms; longer requests are clamped to it. */
  maxRetryAfter: number;
}

/**
 * Whether a response status is worth another attempt: 408 (request timeout), 409 only when
 * the server says the same idempotency key is still running, 425 (too early), 429 and 5xx.
 * Everything else is the caller's to fix, so retrying would only repeat the failure.
 */
export function isRetryableStatus(status: number, code: string | undefined): boolean {
  if (status === 409) return code === ErrorCode.IDEMPOTENCY_IN_PROGRESS;
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * "Full jitter" exponential backoff: a uniformly random delay in
 * `[0, min(retryMaxDelay, retryBaseDelay * 2^(retry-1)))`. Spreading retries over the whole
 * window keeps many clients that failed together from retrying together.
 *
 * @param retry 1 for the first retry, 2 for the second, ...
 * @param random source of randomness in [0, 1)
 */
export function backoffDelay(retry: number, settings: RetrySettings, random: () => number = Math.random): number {
  const ceiling = Math.min(settings.retryMaxDelay, settings.retryBaseDelay * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

const SECONDS = /^\s*\d+(?:\.\d+)?\s*$/;
const HTTP_DATE = /^\s*[A-Za-z]{3}/;

/**
 * The delay the server asked for, in ms: `retry-after-ms` (ms) wins over `Retry-After`
 * (delta-seconds or an HTTP date). `undefined` when absent or unreadable; a date in the
 * past gives 0.
 */
export function parseRetryAfter(headers: ResponseHeaders, now: number = Date.now()): number | undefined {
  const ms = headerValue(headers, 'retry-after-ms');
  if (ms !== undefined) {
    const value = Number(ms);
    if (ms.trim() !== '' && Number.isFinite(value) && value >= 0) return value;
  }
  const after = headerValue(headers, 'retry-after');
  if (after === undefined) return undefined;
  if (SECONDS.test(after)) return Number(after) * 1000;
  // Only an HTTP date (which names a day and month) counts: Date.parse('-3') is a valid year.
  if (!HTTP_DATE.test(after)) return undefined;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How long to wait before retry number `retry`: the server's request when it made one
 * (clamped to `maxRetryAfter`), otherwise the jittered backoff.
 */
export function retryDelay(retry: number, retryAfterMs: number | undefined, settings: RetrySettings, random?: () => number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, settings.maxRetryAfter);
  return backoffDelay(retry, settings, random);
}
