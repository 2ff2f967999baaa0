import type { CalendarProvider } from '@careos/contract';
import type { Dispatcher } from 'undici';
import { httpCall, isRetryableStatus, parseJson, retryDelayMs, retryPolicy, type RetryPolicy } from '../../providers/provider-http.js';
import { CalendarApiError, type EventsApiAuth } from './events-api.js';

/** How long one call to a calendar API may take before it counts as failed. */
const CALL_TIMEOUT_MS = 15_000;

/** A calendar API's answer that the caller interprets (2xx, or an error it handles itself such as 410). */
export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Options of {@link CalendarTransport}. */
export interface TransportOptions {
  retry?: Partial<RetryPolicy>;
  dispatcher?: Dispatcher;
}

/**
 * The HTTP part shared by the Google and Graph events APIs: a bearer token on every call; 429
 * and 5xx retried after the provider's `Retry-After` (or a doubling backoff), bounded; a 401
 * answered by one renewed token and one more attempt (a token can be revoked or expire between
 * the freshness check and the call). Everything else comes back to the caller, which knows
 * what a 404 or 410 means for its call.
 */
export class CalendarTransport {
  readonly #policy: RetryPolicy;

  constructor(
    private readonly provider: CalendarProvider,
    private readonly auth: EventsApiAuth,
    private readonly options: TransportOptions = {},
  ) {
    this.#policy = retryPolicy(options.retry);
  }

  /**
   * One call, retried as above.
   *
   * @throws {@link CalendarApiError} when the provider cannot be reached or kept failing.
   */
  async call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<ApiAnswer> {
    let token = await this.auth.token();
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      const outcome = await httpCall(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...extraHeaders,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs: CALL_TIMEOUT_MS,
        dispatcher: this.options.dispatcher,
      });
      if (outcome.kind === 'error') {
        // A write that may have reached the provider is not repeated blindly (it could duplicate an event).
        const delay = method === 'GET' || !outcome.maybeSent ? retryDelayMs(null, attempt, this.#policy) : null;
        if (delay === null || attempt >= this.#policy.maxAttempts) throw new CalendarApiError(this.provider, 0, outcome.code);
        await this.#policy.sleep(delay);
        continue;
      }
      if (outcome.status === 401 && !renewed) {
        renewed = true;
        token = await this.auth.renew(token);
        attempt--;
        continue;
      }
      if (isRetryableStatus(outcome.status)) {
        const delay = retryDelayMs(outcome.headers, attempt, this.#policy);
        if (delay === null || attempt >= this.#policy.maxAttempts) throw new CalendarApiError(this.provider, outcome.status, errorReason(parseJson(outcome.text)));
        await this.#policy.sleep(delay);
        continue;
      }
      return { status: outcome.status, body: parseJson(outcome.text) };
    }
  }

  /** An error for an answer the caller did not expect. */
  fail(answer: ApiAnswer): CalendarApiError {
    return new CalendarApiError(this.provider, answer.status, errorReason(answer.body));
  }
}

/**
 * The provider's error reason: Google `error.errors[0].reason` (or `error.status`), Graph
 * `error.code`. Only the short code, never the message.
 */
export function errorReason(body: Record<string, unknown>): string {
  const error = body.error as { code?: unknown; status?: unknown; errors?: { reason?: unknown }[] } | undefined;
  if (!error || typeof error !== 'object') return 'unknown';
  const reason = error.errors?.[0]?.reason ?? (typeof error.code === 'string' ? error.code : undefined) ?? error.status;
  return typeof reason === 'string' ? reason.slice(0, 64) : 'unknown';
}
