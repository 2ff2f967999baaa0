import { index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/** CareOps operational alerts, e.g. a failed SMS or payout (never carrying PHI). */
export const alerts = pgTable(
  'alerts',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    /** `info`, `warning` or `critical`. */
    severity: text('severity').notNull(),
    message: text('message').notNull(),
    context: jsonb('context').$type<Record<string, unknown>>().notNull(),
    createdAt: ts('created_at').notNull(),
    dismissedAt: ts('dismissed_at'),
  },
  (t) => [index('alerts_type_idx').on(t.type)],
);
