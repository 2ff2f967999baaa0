import { boolean, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { encrypted, legacyPlaintext, ts } from './columns.js';

/**
 * Leads received from partners. (partner, source_conversation_id) is the natural key.
 *
 * The hot-path tables (leads, partner_payments, messages) carry no foreign keys: a lead, its
 * user, payment and message are always written by one statement, so the references hold by
 * construction, and the checks cost a large share of each insert on the embedded database.
 */
export const leads = pgTable(
  'leads',
  {
    id: text('id').primaryKey(),
    partnerId: text('partner_id').notNull(),
    sourcePlatform: text('source_platform').notNull(),
    sourceConversationId: text('source_conversation_id').notNull(),
    /** SHA-256 of the canonical request body without the ciphertext, to tell a replay from a conflict. */
    requestFingerprint: text('request_fingerprint').notNull(),
    userId: text('user_id').notNull(),
    isNewUser: boolean('is_new_user').notNull(),
    /**
     * `{ user_name, original_message, ai_extracted_details }` sealed as one JSON value: they are
     * written together and every read of a lead shows all three (`ai_extracted_details` is free
     * text about the person too).
     */
    contentEnc: encrypted('content_enc'),
    userLanguage: text('user_language').notNull(),
    locationState: text('location_state'),
    locationCountry: text('location_country'),
    locationCity: text('location_city'),
    /** CareOS category after mapping. */
    category: text('category').notNull(),
    categoryRaw: text('category_raw').notNull(),
    subcategory: text('subcategory'),
    consentTimestamp: ts('consent_timestamp').notNull(),
    valueCents: integer('value_cents').notNull(),
    status: text('status').notNull().default('new'),
    createdAt: ts('created_at').notNull(),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    userName: legacyPlaintext('user_name'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    originalMessage: legacyPlaintext('original_message'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    details: jsonb('details').$type<Record<string, unknown>>(),
  },
  (t) => [
    uniqueIndex('leads_partner_conversation_key').on(t.partnerId, t.sourceConversationId),
  ],
);
