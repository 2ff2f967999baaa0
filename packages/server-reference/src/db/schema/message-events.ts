import { sql } from 'drizzle-orm';
import { index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { blindIndex, ts } from './columns.js';

/**
 * Every report a provider posted about our messages — Twilio status callbacks and inbound SMS,
 * SendGrid events — kept as received, one row each. The (provider, provider event id) pair is
 * unique, so a report posted twice is stored and acted on once. No PHI: no phone, email or text,
 * only the blind index of the address an event is about.
 */
export const messageEvents = pgTable(
  'message_events',
  {
    id: text('id').primaryKey(),
    /** Our message the event is about; null when none matches (an unknown SID, a reply from an unknown number). */
    messageId: text('message_id'),
    /** `twilio` or `sendgrid`. */
    provider: text('provider').notNull(),
    /**
     * The provider's id of this event: SendGrid's `sg_event_id`; for Twilio, which has none,
     * `<MessageSid>:<MessageStatus>` for a status report and `<MessageSid>` for an inbound SMS.
     */
    providerEventId: text('provider_event_id').notNull(),
    /** The provider's id of the message (Twilio SID, SendGrid `sg_message_id`). */
    providerMessageId: text('provider_message_id'),
    /** The provider's word for it: Twilio's `MessageStatus` or `inbound`, SendGrid's `event`. */
    type: text('type').notNull(),
    /** Our message status this event stands for, when it says something about delivery. */
    status: text('status'),
    /** What we did about it: `opt_out`, `opt_in`, `help`, `stored`, `suppressed`, `unknown_sender`… */
    action: text('action'),
    /** The provider's error code (Twilio `ErrorCode`, SendGrid bounce `type`/status). */
    errorCode: text('error_code'),
    /** Blind index of the phone or email the event is about, for suppression and opt-out evidence. */
    addressBidx: blindIndex('address_bidx'),
    /** When the provider says it happened (SendGrid `timestamp`); null when it does not say (Twilio). */
    occurredAt: ts('occurred_at'),
    receivedAt: ts('received_at').notNull(),
  },
  (t) => [
    uniqueIndex('message_events_provider_event_key').on(t.provider, t.providerEventId),
    index('message_events_message_idx').on(t.messageId, t.receivedAt),
    // Reports kept without a message (one that came before the send's answer), found by the
    // provider's id when that answer is written.
    index('message_events_unmatched_idx').on(t.providerMessageId).where(sql`${t.messageId} is null`),
  ],
);
