import { pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/**
 * Server-wide values that must survive restarts: the generated JWT secrets, the development key
 * pair, demo credentials, and any key another service keeps here. Every value is encrypted with
 * a data key (see `data_keys`), bound to `settings.value:<key>`.
 */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  /** The value encrypted with the data key named by `key_id` (`v1.<key id>.<iv>.<tag>.<data>`). */
  value: text('value').notNull(),
  /** The data key that encrypted `value`; `null` only on rows written before encryption at rest, encrypted at the next start. */
  keyId: text('key_id'),
  updatedAt: ts('updated_at').notNull(),
});
