import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/** Supplies in stock. Item names and SKUs describe supplies, not people: nothing here is PHI. */
export const inventoryItems = pgTable(
  'inventory_items',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    sku: text('sku'),
    unit: text('unit'),
    quantity: integer('quantity').notNull(),
    lowStockThreshold: integer('low_stock_threshold').notNull(),
    /**
     * The low-stock alert raised when the quantity last reached the threshold, while it stays
     * there; null when the item is above it (armed: its next fall raises a new alert). Set and
     * cleared in the transaction that changes the quantity, under that row's lock.
     */
    lowAlertId: text('low_alert_id'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    // The last line of defence for "never below zero": the service's conditional update refuses first.
    check('inventory_items_quantity_nonnegative', sql`${t.quantity} >= 0`),
    check('inventory_items_threshold_nonnegative', sql`${t.lowStockThreshold} >= 0`),
    uniqueIndex('inventory_items_sku_key').on(t.sku).where(sql`${t.sku} is not null`),
    // `GET /inventory/low-stock` reads only these rows.
    index('inventory_items_low_idx').on(t.id).where(sql`${t.quantity} <= ${t.lowStockThreshold}`),
  ],
);
