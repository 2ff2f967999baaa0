import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { encrypted, legacyPlaintext, ts } from './columns.js';

/** Outbound SMS and email: the outbox the dispatcher works from and the record of what was sent. */
export const messages = pgTable(
  'messages',
  {
    id: text('id').primaryKey(),
    channel: text('channel').notNull(),
    /** Why it was sent, e.g. `welcome`. */
    kind: text('kind').notNull(),
    /** `{ to, body }` (the recipient's E.164 phone and the text), sealed as one JSON value: always used together. */
    contentEnc: encrypted('content_enc'),
    language: text('language').notNull(),
    /** `queued`, `sent` or `failed`. */
    status: text('status').notNull(),
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
  (t) => [index('messages_queued_idx').on(t.lockedUntil).where(sql`${t.status} = 'queued'`), index('messages_lead_idx').on(t.leadId)],
);
