import { pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { blindIndex, encrypted, legacyPlaintext, ts } from './columns.js';

/** The people leads refer, one row per phone (found by the blind index of its E.164 form). */
export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    /** Blind index of the E.164 phone: one user per phone. */
    phoneBidx: blindIndex('phone_bidx'),
    /** `{ phone, name }` (E.164 phone, name or null), sealed as one JSON value: always written together. */
    profileEnc: encrypted('profile_enc'),
    language: text('language').notNull(),
    /** `<platform>_referral` for users created from a lead. */
    source: text('source').notNull(),
    createdAt: ts('created_at').notNull(),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    phoneE164: legacyPlaintext('phone_e164'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    name: legacyPlaintext('name'),
  },
  (t) => [uniqueIndex('users_phone_bidx_key').on(t.phoneBidx)],
);
