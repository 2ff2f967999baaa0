import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { blindIndex, encrypted, legacyPlaintext, ts } from './columns.js';

/**
 * The people CareOS serves — its contacts: those partner leads refer (found by the blind index
 * of their E.164 phone) and those staff add. One row per phone; a contact without a phone has
 * an email instead.
 */
export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    /** Blind index of the E.164 phone: one user per phone. Null without a phone, and once deleted. */
    phoneBidx: blindIndex('phone_bidx'),
    /**
     * The contact card `{ phone, name, email?, notes? }` (E.164 phone or null, name or null),
     * sealed as one JSON value: always written together. Null once the contact is deleted.
     */
    profileEnc: encrypted('profile_enc'),
    /** Blind index of the lower-cased email, for search (not unique: people share addresses). */
    emailBidx: blindIndex('email_bidx'),
    /**
     * Blind-index tokens of the name's words, for search (`@>` on the GIN index). Null only for
     * rows written before contacts, until start-up indexes them.
     */
    nameTokens: text('name_tokens').array(),
    language: text('language').notNull(),
    /** `<platform>_referral` for users created from a lead, `manual` for contacts staff add. */
    source: text('source').notNull(),
    /** When set, automated messages to the contact are held back (a staff member has taken over). */
    automationPaused: boolean('automation_paused').notNull().default(false),
    createdAt: ts('created_at').notNull(),
    /** Null until first changed after creation. */
    updatedAt: ts('updated_at'),
    /** Set by deletion, which also erases the card and its indexes (leads and messages keep the id). */
    deletedAt: ts('deleted_at'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    phoneE164: legacyPlaintext('phone_e164'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    name: legacyPlaintext('name'),
  },
  (t) => [
    uniqueIndex('users_phone_bidx_key').on(t.phoneBidx),
    // Partial, so the users leads create (no email) cost it nothing on the ingest path.
    index('users_email_bidx_idx').on(t.emailBidx).where(sql`${t.emailBidx} is not null`),
    index('users_name_tokens_idx').using('gin', t.nameTokens),
  ],
);
