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
    userNameEnc: encrypted('user_name_enc'),
    userLanguage: text('user_language').notNull(),
    locationState: text('location_state'),
    locationCountry: text('location_country'),
    locationCity: text('location_city'),
    /** CareOS category after mapping. */
    category: text('category').notNull(),
    categoryRaw: text('category_raw').notNull(),
    subcategory: text('subcategory'),
    originalMessageEnc: encrypted('original_message_enc'),
    /** `ai_extracted_details` (free text about the person's need), as encrypted JSON text. */
    detailsEnc: encrypted('details_enc'),
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
