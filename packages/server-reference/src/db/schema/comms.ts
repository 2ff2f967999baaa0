import { boolean, index, pgTable, text } from 'drizzle-orm/pg-core';
import { blindIndex, encrypted, ts } from './columns.js';

/**
 * Phone numbers that asked for no more SMS (STOP), one row per number ever opted out, keyed by
 * the blind index of the E.164 phone so a send checks it without decrypting anything. START
 * clears `active` rather than deleting the row: when and how it changed stays on record.
 */
export const smsOptOuts = pgTable('sms_opt_outs', {
  phoneBidx: blindIndex('phone_bidx').primaryKey(),
  /** The E.164 phone, sealed: shown to admins only, never used to look anything up. */
  phoneEnc: encrypted('phone_enc').notNull(),
  /** Whether the number is opted out now. */
  active: boolean('active').notNull(),
  /** `inbound_stop` (the person texted STOP), `staff`, `carrier` (a provider reported the opt-out). */
  source: text('source').notNull(),
  optedOutAt: ts('opted_out_at').notNull(),
  /** When the number last opted back in (START); null while it never has. */
  optedInAt: ts('opted_in_at'),
});

/** Email addresses nothing is sent to (bounced, reported spam, unsubscribed), keyed by the blind index of the normalised address. */
export const emailSuppressions = pgTable('email_suppressions', {
  emailBidx: blindIndex('email_bidx').primaryKey(),
  emailEnc: encrypted('email_enc').notNull(),
  active: boolean('active').notNull(),
  /** `bounce`, `spamreport`, `unsubscribe`, `dropped` or `manual`. */
  reason: text('reason').notNull(),
  suppressedAt: ts('suppressed_at').notNull(),
  liftedAt: ts('lifted_at'),
});

/**
 * What the hash-chained audit row of a communication cannot hold: which message it was, and —
 * a later fact — the provider's id for it. One row per `SMS_SENT` / `EMAIL_SENT` /
 * `BAA_REFUSED` audit row, written in the same transaction; `provider_message_id` and
 * `provider_accepted_at` are filled in once when the provider accepts the message. Ids only:
 * no text, no phone, no address.
 */
export const commsAudit = pgTable(
  'comms_audit',
  {
    /** The `audit_log` row this details. */
    auditId: text('audit_id').primaryKey(),
    /** Null for a refused send (nothing was queued). */
    messageId: text('message_id'),
    clientId: text('client_id'),
    channel: text('channel').notNull(),
    /** `SMS_SENT`, `EMAIL_SENT`, `BAA_REFUSED`. */
    action: text('action').notNull(),
    /** `generic_notice` when the body was replaced by the secure-message notice. */
    detail: text('detail'),
    provider: text('provider'),
    providerMessageId: text('provider_message_id'),
    providerAcceptedAt: ts('provider_accepted_at'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('comms_audit_message_idx').on(t.messageId), index('comms_audit_client_idx').on(t.clientId)],
);
