import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import type { SendGridConfig } from '../config/server-config.js';
import { header, httpCall, isRetryableStatus, parseJson, retryDelayMs, retryPolicy, type HttpOutcome, type RetryPolicy } from './provider-http.js';
import { ProviderError, type EmailBatch, type EmailOutcome, type EmailProvider, type EmailRecipient } from './types.js';

/** Options of {@link createSendGridEmailProvider}. */
export interface SendGridEmailOptions extends SendGridConfig {
  /** API origin (default `https://api.sendgrid.com`; `SENDGRID_API_BASE_URL`). */
  baseUrl?: string;
  /** Per-request timeout in ms (default 15 000). */
  timeoutMs?: number;
  /** Backoff for 429 and 5xx, and the sleep and clock (injectable for tests). */
  retry?: Partial<RetryPolicy>;
  /**
   * Wait before looking a timed-out request up in the Email Activity API, which indexes sends
   * with a delay (default 10 000 ms; through the retry policy's sleep).
   */
  activityLookupDelayMs?: number;
  /** undici dispatcher (default: the global one, keep-alive). */
  dispatcher?: Dispatcher;
}

/** Personalizations SendGrid accepts in one `mail/send` request. */
export const SENDGRID_MAX_PERSONALIZATIONS = 1000;

/** The reason given to recipients whose request timed out and could not be looked up. */
export const SENDGRID_UNKNOWN_DELIVERY = 'SendGrid delivery unknown after a timeout; not resent to avoid a duplicate';

type Lookup = { kind: 'found'; xMessageId: string | null } | { kind: 'absent' } | { kind: 'unknown'; detail: string };

/**
 * SendGrid v3 `mail/send` over undici: one personalization per recipient (its own `to` and
 * `custom_args.careos_message_id`, so events map back to our message), recipients chunked into
 * requests of at most 1,000 personalizations, one {@link EmailOutcome} per recipient.
 *
 * A request is all-or-nothing at SendGrid, so its outcome applies to every recipient in it; a
 * 400 naming specific personalizations fails those recipients and sends the rest once more.
 * 429 and 5xx wait for `Retry-After` / `X-RateLimit-Reset` (or a doubling wait). After a timeout
 * (or a 5xx) the request may have been accepted: it is looked up in the Email Activity API by
 * the request's `careos_batch_id` custom arg before resending, and when that API is not
 * available to the account (403, a paid add-on) nothing is resent and the recipients fail with
 * {@link SENDGRID_UNKNOWN_DELIVERY}.
 */
export function createSendGridEmailProvider(options: SendGridEmailOptions): EmailProvider {
  const origin = (options.baseUrl ?? 'https://api.sendgrid.com').replace(/\/+$/, '');
  const policy = retryPolicy(options.retry);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const lookupDelayMs = options.activityLookupDelayMs ?? 10_000;
  const headers = { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' };

  const call = (path: string, method: 'GET' | 'POST', body?: string): Promise<HttpOutcome> =>
    httpCall(`${origin}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body,
      timeoutMs,
      dispatcher: options.dispatcher,
    });

  const lookup = async (batchId: string): Promise<Lookup> => {
    const query = new URLSearchParams({ query: `unique_args['careos_batch_id']="${batchId}"`, limit: '1' });
    const outcome = await call(`/v3/messages?${query}`, 'GET');
    if (outcome.kind === 'error') return { kind: 'unknown', detail: outcome.code };
    if (outcome.status !== 200) return { kind: 'unknown', detail: `Email Activity API HTTP ${outcome.status}` };
    const listed = parseJson(outcome.text).messages;
    const first = (Array.isArray(listed) ? listed[0] : undefined) as { msg_id?: unknown } | undefined;
    if (!first) return { kind: 'absent' };
    // A recipient's msg_id is the request's X-Message-Id followed by `.filter…`.
    return { kind: 'found', xMessageId: typeof first.msg_id === 'string' ? first.msg_id.split('.')[0]! : null };
  };

  const body = (content: EmailBatch['content'], recipients: EmailRecipient[], batchId: string): string =>
    JSON.stringify({
      personalizations: recipients.map((r) => ({
        to: [{ email: r.to }],
        custom_args: { careos_message_id: r.messageId },
        ...(content.templateId !== null && r.dynamicData ? { dynamic_template_data: r.dynamicData } : {}),
      })),
      from: { email: options.fromEmail, ...(options.fromName ? { name: options.fromName } : {}) },
      ...(content.subject !== null ? { subject: content.subject } : {}),
      ...(content.text !== null ? { content: [{ type: 'text/plain', value: content.text }] } : {}),
      ...(content.templateId !== null ? { template_id: content.templateId } : {}),
      custom_args: { careos_batch_id: batchId },
    });

  /** Sends one chunk (≤ 1,000 recipients); never throws. */
  const sendChunk = async (content: EmailBatch['content'], recipients: EmailRecipient[]): Promise<EmailOutcome[]> => {
    const outcomes: (EmailOutcome | undefined)[] = recipients.map(() => undefined);
    /** Indexes (into `recipients`) still to send. */
    let pending = recipients.map((_, i) => i);
    const settle = (outcome: EmailOutcome) => {
      for (const i of pending) outcomes[i] = outcome;
      return outcomes as EmailOutcome[];
    };
    const batchId = randomUUID();
    let mustLookUp = false;
    let failure = 'SendGrid was not called';
    let droppedInvalid = false;
    for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
      if (mustLookUp) {
        await policy.sleep(lookupDelayMs);
        const found = await lookup(batchId);
        if (found.kind === 'found') return settle({ ok: true, providerMessageId: found.xMessageId });
        if (found.kind === 'unknown') return settle({ ok: false, error: `${SENDGRID_UNKNOWN_DELIVERY} (${found.detail})` });
        mustLookUp = false;
      }
      const outcome = await call('/v3/mail/send', 'POST', body(content, pending.map((i) => recipients[i]!), batchId));
      let retryHeaders: Record<string, string | string[] | undefined> | null = null;
      if (outcome.kind === 'error') {
        mustLookUp = outcome.maybeSent;
        failure = `SendGrid unreachable: ${outcome.code}`;
      } else if (outcome.status >= 200 && outcome.status < 300) {
        return settle({ ok: true, providerMessageId: header(outcome.headers, 'x-message-id') ?? null });
      } else {
        const errors = errorsOf(outcome.text);
        const detail = `${outcome.status} ${errors.map((e) => e.message).join('; ') || 'no detail'}`;
        if (!isRetryableStatus(outcome.status)) {
          const invalid = outcome.status === 400 && !droppedInvalid ? invalidRecipients(errors, pending.length) : new Set<number>();
          if (invalid.size === 0 || invalid.size === pending.length) return settle({ ok: false, error: scrub(`SendGrid refused the request: ${detail}`) });
          // Only some recipients were invalid: nothing was sent, so fail those and send the rest.
          for (const p of invalid) outcomes[pending[p]!] = { ok: false, error: 'SendGrid refused the address: Does not contain a valid address.' };
          pending = pending.filter((_, p) => !invalid.has(p));
          droppedInvalid = true;
          attempt--;
          continue;
        }
        // A 5xx may come after the request was accepted; a 429 never does.
        if (outcome.status !== 429) mustLookUp = true;
        retryHeaders = outcome.headers;
        failure = `SendGrid unavailable: ${detail}`;
      }
      if (attempt === policy.maxAttempts) break;
      const delay = retryDelayMs(retryHeaders, attempt, policy);
      if (delay === null) return settle({ ok: false, error: scrub(`${failure}; retry later`) });
      await policy.sleep(delay);
    }
    if (mustLookUp) {
      await policy.sleep(lookupDelayMs);
      const found = await lookup(batchId);
      if (found.kind === 'found') return settle({ ok: true, providerMessageId: found.xMessageId });
      if (found.kind === 'unknown') return settle({ ok: false, error: `${SENDGRID_UNKNOWN_DELIVERY} (${found.detail})` });
    }
    return settle({ ok: false, error: scrub(failure) });
  };

  return {
    name: 'sendgrid',
    async send(batch: EmailBatch): Promise<EmailOutcome[]> {
      const outcomes: EmailOutcome[] = [];
      for (let start = 0; start < batch.recipients.length; start += SENDGRID_MAX_PERSONALIZATIONS) {
        outcomes.push(...(await sendChunk(batch.content, batch.recipients.slice(start, start + SENDGRID_MAX_PERSONALIZATIONS))));
      }
      return outcomes;
    },
  };
}

/** SendGrid's `{errors:[{message, field}]}`, tolerant of anything else. */
function errorsOf(text: string): { message: string; field: string | null }[] {
  const errors = parseJson(text).errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((e: { message?: unknown; field?: unknown }) => ({ message: typeof e.message === 'string' ? e.message : '', field: typeof e.field === 'string' ? e.field : null }));
}

/** Personalization indexes a 400 blames for their address (`personalizations.N.to.M.email`). */
function invalidRecipients(errors: { field: string | null }[], count: number): Set<number> {
  const blamed = new Set<number>();
  for (const error of errors) {
    const match = /^personalizations\.(\d+)\.to\b/.exec(error.field ?? '');
    if (!match) return new Set(); // Something else is wrong with the request: it fails as a whole.
    const index = Number(match[1]);
    if (index < count) blamed.add(index);
  }
  return blamed;
}

/** Provider text made safe to store: no addresses, no phone numbers. */
function scrub(text: string): string {
  return new ProviderError(text).message;
}
