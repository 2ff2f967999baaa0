import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/** CareOps operational alerts, e.g. a failed SMS or payout, an item low on stock (never carrying PHI). */
export const alerts = pgTable(
  'alerts',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    /** `info`, `warning` or `critical`. */
    severity: text('severity').notNull(),
    message: text('message').notNull(),
    context: jsonb('context').$type<Record<string, unknown>>().notNull(),
    /** The record the alert is about, e.g. `inventory_item` + its id (null for alerts about no one record). */
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    createdAt: ts('created_at').notNull(),
    dismissedAt: ts('dismissed_at'),
    /** Staff id of who dismissed it; null when the server resolved it (e.g. the stock was restored). */
    dismissedBy: text('dismissed_by'),
  },
  (t) => [
    index('alerts_type_idx').on(t.type),
    // `GET /alerts/count` and the dashboard count the active ones: this index holds only those.
    index('alerts_active_idx').on(t.severity).where(sql`${t.dismissedAt} is null`),
    // The inventory service keeps one active low-stock alert per item; the database guarantees it too.
    uniqueIndex('alerts_one_active_inventory_low_idx').on(t.subjectId).where(sql`${t.type} = 'inventory_low' and ${t.dismissedAt} is null`),
  ],
);
