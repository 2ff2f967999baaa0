import { pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/** Server-wide values that must survive restarts: the generated JWT secret, the development key pair, demo credentials. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: ts('updated_at').notNull(),
});
