import { sql } from 'drizzle-orm';
import { boolean, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/**
 * Data-encryption keys (DESIGN §4.9), stored only wrapped by the master key, which never
 * enters the database. Every instance unwraps the same active key; older keys stay so that
 * values written under them remain readable. Rotating the master key re-wraps these rows only.
 */
export const dataKeys = pgTable(
  'data_keys',
  {
    /** The data key's id (first 8 hex characters of its SHA-256), named in every value it encrypts. */
    id: text('id').primaryKey(),
    /** The key wrapped by the master key, bound to `data_keys.wrapped_key:<id>`. */
    wrappedKey: text('wrapped_key').notNull(),
    /** Id of the master key that wrapped it (`local:…`, or a KMS key's id). */
    masterKeyId: text('master_key_id').notNull(),
    /** The key new values are encrypted with; exactly one row is active. */
    active: boolean('active').notNull(),
    createdAt: ts('created_at').notNull(),
    rewrappedAt: ts('rewrapped_at'),
  },
  (t) => [uniqueIndex('data_keys_one_active_idx').on(t.active).where(sql`${t.active}`)],
);
