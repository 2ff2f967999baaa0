import { request, type Dispatcher } from 'undici';

/**
 * The HTTP plumbing the Twilio and SendGrid adapters share: one undici request that never
 * throws (it reports whether the request could have reached the provider), and the backoff
 * rules for 429 and 5xx.
 */

/** How an adapter retries: bounded attempts, bounded waits, an injectable sleep and clock. */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 4). */
  maxAttempts: number;
  /** First wait without a `Retry-After`, doubled each time (default 1 000 ms). */
  baseDelayMs: number;
  /** Longest wait; a provider asking for longer fails the call instead (default 30 000 ms). */
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  /** Milliseconds since epoch. */
  now: () => number;
}

/** Defaults of {@link RetryPolicy}, merged with what a caller overrides. */
export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return {
    maxAttempts: 4,
    baseDelayMs: 1_000,
    maxDelayMs: 30_000,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    ...overrides,
  };
}

/** What one request produced. */
export type HttpOutcome =
  | { kind: 'response'; status: number; headers: Record<string, string | string[] | undefined>; text: string }
  /**
   * No response. `maybeSent` is false only when the connection was never made (refused, DNS,
   * connect timeout): then the provider cannot have seen the request. A timeout waiting for the
   * answer or a dropped connection leaves it unknown.
   */
  | { kind: 'error'; maybeSent: boolean; code: string };

/** Options of {@link httpCall}. */
export interface HttpCallOptions {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  /** Time allowed for the answer's headers and then its body, in ms. */
  timeoutMs: number;
  dispatcher?: Dispatcher;
}

const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_INVALID_ARG', 'ERR_INVALID_URL']);

/** One request over undici; never throws. */
export async function httpCall(url: string, options: HttpCallOptions): Promise<HttpOutcome> {
  try {
    const res = await request(url, {
      method: options.method,
      headers: options.headers,
      body: options.body,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      dispatcher: options.dispatcher,
    });
    const text = await res.body.text();
    return { kind: 'response', status: res.statusCode, headers: res.headers, text };
  } catch (error) {
    const code = errorCode(error);
    return { kind: 'error', maybeSent: !NEVER_SENT.has(code), code };
  }
}

/** Whether a status is worth another attempt after a wait. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * How long to wait before the next attempt: the provider's `Retry-After` (seconds or an HTTP
 * date) or `X-RateLimit-Reset` (Unix seconds) when present, else `baseDelayMs` doubled per
 * attempt already made. `null` when the provider asks for longer than `maxDelayMs`: waiting
 * in-process that long would hold the sender, so the caller fails and the outbox retries later.
 */
export function retryDelayMs(headers: Record<string, string | string[] | undefined> | null, attempt: number, policy: RetryPolicy): number | null {
  const asked = headers ? providerDelayMs(headers, policy.now()) : null;
  const delay = asked ?? policy.baseDelayMs * 2 ** (attempt - 1);
  if (asked !== null && asked > policy.maxDelayMs) return null;
  return Math.min(delay, policy.maxDelayMs);
}

function providerDelayMs(headers: Record<string, string | string[] | undefined>, now: number): number | null {
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter !== undefined) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = header(headers, 'x-ratelimit-reset');
  if (reset !== undefined && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - now);
  return null;
}

/** One header's value (the first, if repeated). */
export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A short, safe name for a network failure (an error code, never a message that could quote data). */
function errorCode(error: unknown): string {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string') return e.code;
  }
  return (error as Error)?.name ?? 'UnknownError';
}

/** JSON of a response body, or `{}` when it is not JSON. */
export function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
