import { pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/** CareOps staff and admin accounts (passwords hashed with argon2id). */
export const staffUsers = pgTable(
  'staff_users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** `admin` or `staff`. */
    role: text('role').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('staff_users_email_key').on(t.email)],
);
