/** Every attempt of a series falls within this long of its first attempt (DESIGN §4.7). */
export const RETRY_WINDOW_MS = 24 * 3600 * 1000;

/** Delays vary by up to this fraction either way, so endpoints that failed together do not retry together. */
export const JITTER = 0.2;

/** `delayMs` ± {@link JITTER}. */
export function jittered(delayMs: number, random: () => number = Math.random): number {
  return Math.max(0, Math.round(delayMs * (1 + (random() * 2 - 1) * JITTER)));
}

/**
 * A `Retry-After` header as milliseconds from `now`: delta-seconds (`120`) or an HTTP date.
 * `null` when absent or unreadable; a date in the past counts as zero.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: Date): number | null {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only dates (a bare number that is not an integer, or garbage, is not a Retry-After).
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/** What {@link nextAttemptAt} decides from. */
export interface RetryDecisionInput {
  /** The attempt that just failed, 1-based within its series. */
  attempt: number;
  /** Delay before each attempt (the configured schedule); its length is the number of attempts. */
  scheduleMs: readonly number[];
  now: Date;
  /** When the first attempt of this series started. */
  seriesStartedAt: Date;
  /** What the receiver's `Retry-After` asked for, if anything. */
  retryAfterMs: number | null;
  random?: () => number;
}

/**
 * When to make the next attempt after a failure, or `null` to give up: after the last attempt
 * of the schedule, or once the series' 24-hour window has passed. The next delay is the
 * schedule's (with jitter), or longer when `Retry-After` asks for it, but never past the end of
 * the window: a receiver asking for more still gets its remaining attempts inside it.
 */
export function nextAttemptAt(input: RetryDecisionInput): Date | null {
  if (input.attempt >= input.scheduleMs.length) return null;
  const now = input.now.getTime();
  const deadline = input.seriesStartedAt.getTime() + RETRY_WINDOW_MS;
  if (now >= deadline) return null;
  const delay = Math.max(jittered(input.scheduleMs[input.attempt]!, input.random), input.retryAfterMs ?? 0);
  return new Date(Math.min(now + delay, deadline));
}
