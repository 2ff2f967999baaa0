import { pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { blindIndex, encrypted, legacyPlaintext, ts } from './columns.js';

/** CareOps staff and admin accounts (passwords hashed with argon2id). */
export const staffUsers = pgTable(
  'staff_users',
  {
    id: text('id').primaryKey(),
    /** Blind index of the lower-cased email, the login key. */
    emailBidx: blindIndex('email_bidx'),
    emailEnc: encrypted('email_enc'),
    nameEnc: encrypted('name_enc'),
    passwordHash: text('password_hash').notNull(),
    /** `admin` or `staff`. */
    role: text('role').notNull(),
    createdAt: ts('created_at').notNull(),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    email: legacyPlaintext('email'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    name: legacyPlaintext('name'),
  },
  (t) => [uniqueIndex('staff_users_email_bidx_key').on(t.emailBidx)],
);
