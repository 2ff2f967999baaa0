import { LRUCache } from 'lru-cache';
import type { Dispatcher } from 'undici';
import type { TwilioConfig } from '../config/server-config.js';
import { httpCall, isRetryableStatus, parseJson, retryDelayMs, retryPolicy, type HttpOutcome, type RetryPolicy } from './provider-http.js';
import { ProviderError, type SmsMessage, type SmsProvider, type SmsResult } from './types.js';

/** Options of {@link createTwilioSmsProvider}. */
export interface TwilioSmsOptions extends TwilioConfig {
  /** API origin (default `https://api.twilio.com`; `TWILIO_API_BASE_URL`). */
  baseUrl?: string;
  /** Per-request timeout in ms (default 10 000). */
  timeoutMs?: number;
  /** Public URL Twilio posts delivery status to (sent as `StatusCallback`). */
  statusCallbackUrl?: string;
  /** Backoff for 429 and 5xx, and the sleep and clock (injectable for tests). */
  retry?: Partial<RetryPolicy>;
  /** undici dispatcher (default: the global one, keep-alive). */
  dispatcher?: Dispatcher;
}

/**
 * How far Twilio's clock may trail ours when matching a message created by an earlier attempt
 * (`date_created` has one-second precision and comes from Twilio's clock).
 */
const CLOCK_SKEW_MS = 60_000;
/** Page size of the reconciliation listing: the newest messages to one number are enough. */
const RECONCILE_PAGE_SIZE = '50';

type Reconciled = { kind: 'found'; sid: string } | { kind: 'absent' } | { kind: 'unknown'; detail: string };

/**
 * Twilio's Messages API over undici: `POST /2010-04-01/Accounts/{sid}/Messages.json`,
 * form-encoded, HTTP basic auth with the account sid and auth token.
 *
 * Twilio has no idempotency key for messages, so a retry after an ambiguous failure (a timeout
 * or a dropped connection once the request may have been sent, or a 5xx) first lists the
 * messages to the same number sent since the first attempt's day and matches the body and the
 * creation time; a match is the message, returned instead of sending again. 429 and 5xx are
 * retried after `Retry-After` (or a doubling wait), within {@link RetryPolicy} bounds; any other
 * 4xx fails at once with a {@link ProviderError} free of the phone number.
 */
export function createTwilioSmsProvider(options: TwilioSmsOptions): SmsProvider {
  const base = `${(options.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}`;
  const messagesUrl = `${base}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  const policy = retryPolicy(options.retry);
  const timeoutMs = options.timeoutMs ?? 10_000;
  /** Messages whose last attempt ended ambiguously, by our id: when it was first tried. */
  const ambiguous = new LRUCache<string, number>({ max: 10_000, ttl: 2 * 86_400_000 });

  const call = (url: string, method: 'GET' | 'POST', body?: string): Promise<HttpOutcome> =>
    httpCall(url, {
      method,
      headers: { authorization, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body,
      timeoutMs,
      dispatcher: options.dispatcher,
    });

  /** Looks for a message this adapter already got accepted: same recipient and body, created since `since`. */
  const reconcile = async (message: SmsMessage, since: number): Promise<Reconciled> => {
    const day = new Date(since - CLOCK_SKEW_MS).toISOString().slice(0, 10);
    // Filtered by send date first; then the newest page unfiltered, since a message still in
    // Twilio's queue has no date_sent yet and the filter leaves it out.
    const queries = [
      new URLSearchParams({ To: message.to, 'DateSent>': day, PageSize: RECONCILE_PAGE_SIZE }),
      new URLSearchParams({ To: message.to, PageSize: RECONCILE_PAGE_SIZE }),
    ];
    for (const query of queries) {
      const outcome = await call(`${messagesUrl}?${query}`, 'GET');
      if (outcome.kind === 'error') return { kind: 'unknown', detail: outcome.code };
      if (outcome.status !== 200) return { kind: 'unknown', detail: `HTTP ${outcome.status}` };
      const listed = parseJson(outcome.text).messages;
      const candidates = (Array.isArray(listed) ? listed : []) as { sid?: unknown; body?: unknown; date_created?: unknown }[];
      const match = candidates
        .filter((m) => typeof m.sid === 'string' && m.body === message.body && Date.parse(String(m.date_created)) >= Math.floor(since / 1000) * 1000 - CLOCK_SKEW_MS)
        .sort((a, b) => Date.parse(String(a.date_created)) - Date.parse(String(b.date_created)))[0];
      if (match) return { kind: 'found', sid: match.sid as string };
    }
    return { kind: 'absent' };
  };

  return {
    name: 'twilio',
    async send(message: SmsMessage): Promise<SmsResult> {
      const form = new URLSearchParams({ To: message.to, Body: message.body });
      if (options.messagingServiceSid) form.set('MessagingServiceSid', options.messagingServiceSid);
      else if (options.fromNumber) form.set('From', options.fromNumber);
      if (options.statusCallbackUrl) form.set('StatusCallback', options.statusCallbackUrl);
      const body = form.toString();

      let firstAttemptAt: number | null = message.previousAttemptAt?.getTime() ?? ambiguous.get(message.id) ?? null;
      let mustReconcile = firstAttemptAt !== null;
      // Built only when an attempt fails: an Error captures its stack, too dear for every send.
      let failure: ProviderError | null = null;
      for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
        if (mustReconcile && firstAttemptAt !== null) {
          const found = await reconcile(message, firstAttemptAt);
          if (found.kind === 'found') {
            ambiguous.delete(message.id);
            return { providerMessageId: found.sid };
          }
          if (found.kind === 'unknown') {
            throw new ProviderError(`Twilio delivery unknown after a timeout and the message list could not be read (${found.detail}); not resent to avoid a duplicate`, undefined, { kind: 'unknown' });
          }
        }
        firstAttemptAt ??= policy.now();
        const outcome = await call(messagesUrl, 'POST', body);
        let headers: Record<string, string | string[] | undefined> | null = null;
        if (outcome.kind === 'error') {
          if (outcome.maybeSent) {
            mustReconcile = true;
            ambiguous.set(message.id, firstAttemptAt);
            failure = new ProviderError(`Twilio unreachable: ${outcome.code}; delivery unknown`, undefined, { kind: 'unknown' });
          } else {
            failure = new ProviderError(`Twilio unreachable: ${outcome.code}`, undefined, { kind: mustReconcile ? 'unknown' : 'unavailable' });
          }
        } else {
          const payload = parseJson(outcome.text) as { sid?: unknown; code?: unknown; message?: unknown };
          if (outcome.status >= 200 && outcome.status < 300) {
            ambiguous.delete(message.id);
            return { providerMessageId: typeof payload.sid === 'string' ? payload.sid : null };
          }
          const detail = typeof payload.message === 'string' ? `${typeof payload.code === 'number' ? payload.code : outcome.status} ${payload.message}` : `HTTP ${outcome.status}`;
          if (!isRetryableStatus(outcome.status)) throw new ProviderError(`Twilio refused the message: ${detail}`, outcome.status, { kind: 'refused' });
          // A 5xx may come after the message was created; a 429 never does.
          if (outcome.status !== 429) {
            mustReconcile = true;
            ambiguous.set(message.id, firstAttemptAt);
          }
          headers = outcome.headers;
          failure = new ProviderError(`Twilio unavailable: ${detail}`, outcome.status, { kind: mustReconcile ? 'unknown' : 'unavailable' });
        }
        if (attempt === policy.maxAttempts) break;
        const delay = retryDelayMs(headers, attempt, policy);
        if (delay === null) {
          const asked = retryDelayMs(headers, attempt, { ...policy, maxDelayMs: Number.POSITIVE_INFINITY }) ?? undefined;
          throw new ProviderError(`${failure.message}; retry later`, failure.status, { kind: failure.kind, retryAfterMs: asked });
        }
        await policy.sleep(delay);
      }
      throw failure ?? new ProviderError('Twilio was not called');
    },
  };
}
