import { pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/** The people leads refer, one row per E.164 phone. */
export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    phoneE164: text('phone_e164').notNull(),
    name: text('name'),
    language: text('language').notNull(),
    /** `<platform>_referral` for users created from a lead. */
    source: text('source').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('users_phone_e164_key').on(t.phoneE164)],
);
