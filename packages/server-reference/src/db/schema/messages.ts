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
    /** `{ to, body }` (the recipient's E.164 phone and the text), sealed as one JSON value: always used together. */
    contentEnc: encrypted('content_enc'),
    language: text('language').notNull(),
    /**
     * Outbound: `queued` → `sending` (claimed by the dispatcher) → `sent` or `failed`, then, from
     * the provider's delivery reports, `delivered` or `undelivered` (forward only); or
     * `cancelled` (see `cancel_reason`) instead of being sent. Inbound: `received`.
     */
    status: text('status').notNull(),
    /** Why a message was cancelled: `staff_reply` (a reply paused automation) or `automation_paused`. */
    cancelReason: text('cancel_reason'),
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
    index('messages_dispatch_idx').on(t.lockedUntil).where(sql`${t.status} in ('queued', 'sending')`),
    index('messages_lead_idx').on(t.leadId),
    index('messages_user_idx').on(t.userId, t.id),
    // Delivery reports name the message by the provider's id.
    index('messages_provider_message_idx').on(t.providerMessageId),
  ],
);
