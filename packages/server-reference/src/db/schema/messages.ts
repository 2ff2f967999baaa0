import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { encrypted, legacyPlaintext, ts } from './columns.js';

/**
 * Every message of a conversation with a contact, both directions: the outbox the dispatcher
 * works from (outbound), the record of what was sent, and what the contact wrote (inbound).
 */
export const messages = pgTable(
  'messages',
  {
    id: text('id').primaryKey(),
    channel: text('channel').notNull(),
    /** `outbound` (to the contact) or `inbound` (from the contact, recorded, never sent). */
    direction: text('direction').notNull().default('outbound'),
    /** Why it was sent, e.g. `welcome`, `reply`; `inbound` for what the contact wrote. */
    kind: text('kind').notNull(),
    /**
     * Sent by an automation (welcome, booking confirmation and reminders), not by a person: held
     * back while the contact's `automation_paused` is set. Rows written before the column are welcomes.
     */
    automated: boolean('automated').notNull().default(true),
    /** The staff member who wrote a reply or recorded an inbound message. */
    authorStaffId: text('author_staff_id'),
    /**
     * `{ to, body }` (the recipient's E.164 phone and the text), sealed as one JSON value: always
     * used together. An email's adds `subject`, `template_id` and `dynamic_data` (see `SealedContent`).
     */
    contentEnc: encrypted('content_enc'),
    language: text('language').notNull(),
    /**
     * Outbound: `queued` → `sending` (claimed by the dispatcher) → `sent` or `failed`, then
     * `delivered` / `undelivered` from the provider's status callbacks; or `cancelled` (see
     * `cancel_reason`) instead of being sent. Inbound: `received`. Only ever moves to a higher
     * rank (`commsStatusRank` in the contract, `statusRankSql` here).
     */
    status: text('status').notNull(),
    /** Why a message was cancelled: `staff_reply`, `automation_paused`, `opted_out` or `suppressed`. */
    cancelReason: text('cancel_reason'),
    /** Marked as carrying PHI, by its sender or its template (the BAA gate). */
    containsPhi: boolean('contains_phi').notNull().default(false),
    /** The body is the generic secure-message notice that replaced a PHI text (no BAA for the channel). */
    genericNotice: boolean('generic_notice').notNull().default(false),
    /** Server template (`booking_reminder`) or provider template (`d-…`) id; not PHI. */
    templateId: text('template_id'),
    /** SMS: `GSM-7` or `UCS-2`, and how many segments the body takes. */
    encoding: text('encoding'),
    segments: integer('segments'),
    /** Shared by the messages of one bulk send: the dispatcher hands those emails to the provider together. */
    batchId: text('batch_id'),
    /**
     * `deferred` messages (automated ones claimed inside the business's quiet hours) wait until
     * this instant, when the window closes; the outbox's sweep queues them again then.
     */
    sendAfter: ts('send_after'),
    /** When the carrier (or mailbox) reported the message delivered. */
    deliveredAt: ts('delivered_at'),
    /** When a provider status (callback or send result) last moved the status. */
    statusUpdatedAt: ts('status_updated_at'),
    provider: text('provider').notNull(),
    providerMessageId: text('provider_message_id'),
    error: text('error'),
    leadId: text('lead_id'),
    userId: text('user_id'),
    attempts: integer('attempts').notNull().default(0),
    /** While in the future, the instance that queued the message owns its dispatch. */
    lockedUntil: ts('locked_until'),
    /** Instance that owns the dispatch (see `locked_until`). */
    lockedBy: text('locked_by'),
    createdAt: ts('created_at').notNull(),
    sentAt: ts('sent_at'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    toE164: legacyPlaintext('to_e164'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    body: legacyPlaintext('body'),
  },
  (t) => [
    index('messages_deferred_idx').on(t.sendAfter).where(sql`${t.status} = 'deferred'`),
    index('messages_dispatch_idx').on(t.lockedUntil).where(sql`${t.status} in ('queued', 'sending')`),
    index('messages_lead_idx').on(t.leadId),
    index('messages_user_idx').on(t.userId, t.id),
    // Status callbacks find their message by the provider's id (Twilio `MessageSid`, SendGrid `sg_message_id`).
    index('messages_provider_message_idx').on(t.providerMessageId).where(sql`${t.providerMessageId} is not null`),
  ],
);
