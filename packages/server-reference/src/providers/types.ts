/** One SMS to send. */
export interface SmsMessage {
  /** Our message id (`msg_…`); adapters may use it for idempotency. */
  id: string;
  /** Recipient in E.164. */
  to: string;
  body: string;
  /**
   * When an earlier attempt at this message may have reached the provider (an outbox retry after
   * a timeout): the adapter then looks for a message it already accepted before sending again.
   */
  previousAttemptAt?: Date;
}

/** What an SMS provider reports for an accepted message. */
export interface SmsResult {
  /** The provider's id for the message (e.g. a Twilio `SM…` sid). */
  providerMessageId: string | null;
}

/** Sends SMS. Throw {@link ProviderError} (or any error) when the provider refuses or is unreachable. */
export interface SmsProvider {
  /** Stored with every message, e.g. `console` or `twilio`. */
  readonly name: string;
  send(message: SmsMessage): Promise<SmsResult>;
}

/** One recipient of an {@link EmailBatch}. */
export interface EmailRecipient {
  /** Our message id (`msg_…`), sent along (SendGrid `custom_args`) so events map back to it. */
  messageId: string;
  /** Recipient address. */
  to: string;
  /** Template data for this recipient (template sends only). */
  dynamicData?: Record<string, unknown>;
}

/** What every recipient of one batch receives: a subject and text, or a provider template. */
export interface EmailContent {
  subject: string | null;
  /** Plain-text body; `null` for a template send. */
  text: string | null;
  /** Provider template id (e.g. SendGrid `d-…`); the body then comes from the template. */
  templateId: string | null;
}

/** Emails that share their content, sent together (one provider call per ≤ 1,000 recipients at SendGrid). */
export interface EmailBatch {
  content: EmailContent;
  recipients: EmailRecipient[];
}

/** The outcome for one recipient of an {@link EmailBatch}, in the same order. */
export type EmailOutcome =
  | { ok: true; providerMessageId: string | null }
  /** `error` is safe to store and log (no addresses, no secrets). */
  | { ok: false; error: string };

/** Sends email. Never throws for a refused recipient: each one gets its {@link EmailOutcome}. */
export interface EmailProvider {
  /** Stored with every message, e.g. `console` or `sendgrid`. */
  readonly name: string;
  send(batch: EmailBatch): Promise<EmailOutcome[]>;
}

/** One transfer to a partner. */
export interface PayoutRequest {
  /** Our payout id (`po_…`), used as the provider's idempotency key so a retry never pays twice. */
  payoutId: string;
  partner: { id: string; platform: string; destination: string | null };
  amountCents: number;
  currency: 'usd';
}

/** What a payout provider reports for a completed transfer. */
export interface PayoutResult {
  /** The provider's reference (e.g. a Stripe `tr_…` id). */
  reference: string;
}

/** Pays partners. Must be idempotent on {@link PayoutRequest.payoutId}. */
export interface PayoutProvider {
  /** Stored with every payout, e.g. `ledger` or `stripe`. */
  readonly name: string;
  pay(request: PayoutRequest): Promise<PayoutResult>;
}

/** The external services the server talks to, each behind a small interface (DESIGN §5). */
export interface Providers {
  sms: SmsProvider;
  email: EmailProvider;
  payouts: PayoutProvider;
}

/**
 * Why a provider call failed: `refused` (the provider said no; retrying the same request cannot
 * help), `unavailable` (it was not accepted, e.g. 429, 5xx or unreachable: a later retry may
 * work), `unknown` (it may have been accepted; resending risks a duplicate).
 */
export type ProviderFailureKind = 'refused' | 'unavailable' | 'unknown';

/** A provider refused or failed; the message is safe to store and log (no phone numbers, no addresses, no secrets). */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  /** See {@link ProviderFailureKind}; by default `refused` for a 4xx other than 429, else `unavailable`. */
  readonly kind: ProviderFailureKind;
  /** How long the provider asked to wait before another try, when it said so. */
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    /** HTTP status from the provider, when there was a response. */
    readonly status?: number,
    details: { kind?: ProviderFailureKind; retryAfterMs?: number } = {},
  ) {
    super(scrubPhones(scrubEmails(message)));
    this.kind = details.kind ?? (status !== undefined && status >= 400 && status < 500 && status !== 429 ? 'refused' : 'unavailable');
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** Blanks anything that looks like an email address (provider errors may quote the recipient). */
export function scrubEmails(text: string): string {
  return text.replace(/[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[^\s@"'<>(),;:]+/g, '[address]');
}

/**
 * Blanks anything that looks like a phone number: provider error texts sometimes quote the
 * recipient ("The 'To' number +1415... is not valid"), and those texts end up in the
 * database and the log.
 */
export function scrubPhones(text: string): string {
  return text.replace(/\+?\d[\d\s().-]{5,}\d/g, '[number]');
}
