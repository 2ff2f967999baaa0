import { z } from 'zod';
import { ListQuery, NextCursor, QueryBoolean, Timestamp, prefixedId } from '../common.js';

/** Largest stock quantity or threshold an item may hold (and largest single adjustment). */
export const MAX_STOCK = 1_000_000_000;

const Quantity = z.number().int().min(0).max(MAX_STOCK);
const ItemName = z.string().trim().min(1).max(200);
const Sku = z.string().trim().min(1).max(64);
const Unit = z.string().trim().min(1).max(32);

/** A stocked supply item. Names and SKUs describe supplies, never people: nothing here is PHI. */
export const InventoryItem = z
  .object({
    id: prefixedId('inv'),
    name: z.string(),
    sku: z.string().nullable(),
    unit: z.string().nullable().describe("What one unit is, e.g. 'box'"),
    quantity: Quantity.describe('Units in stock; never below 0'),
    low_stock_threshold: Quantity.describe('The item is low on stock when its quantity is at or below this'),
    low_stock: z.boolean().describe('Whether quantity ≤ low_stock_threshold'),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'InventoryItem' });
/** A parsed inventory item. */
export type InventoryItem = z.infer<typeof InventoryItem>;

/** Body of `POST /inventory`. */
export const CreateInventoryItemRequest = z
  .object({
    name: ItemName.describe('What the item is, e.g. "Nitrile gloves (M)"'),
    sku: Sku.optional().describe('Stock-keeping unit; unique when given'),
    unit: Unit.optional(),
    quantity: Quantity.describe('Units in stock now'),
    low_stock_threshold: Quantity.default(0).describe('Low on stock at or below this quantity (default 0: when it runs out)'),
  })
  .meta({ id: 'CreateInventoryItemRequest' });

/**
 * Body of `PATCH /inventory/{id}`: any of the item's fields, and the stock either set
 * (`quantity`) or changed by a signed amount (`adjust_by`), not both.
 */
export const UpdateInventoryItemRequest = z
  .object({
    name: ItemName.optional(),
    sku: Sku.nullable().optional().describe('null removes it'),
    unit: Unit.nullable().optional().describe('null removes it'),
    quantity: Quantity.optional().describe('Set the stock to this'),
    adjust_by: z
      .number()
      .int()
      .min(-MAX_STOCK)
      .max(MAX_STOCK)
      .refine((v) => v !== 0, 'Must not be 0')
      .optional()
      .describe('Add this (negative: take away) to the stock, atomically; refused with 409 INSUFFICIENT_STOCK if the stock would go below 0'),
    low_stock_threshold: Quantity.optional(),
  })
  .refine((b) => !(b.quantity !== undefined && b.adjust_by !== undefined), { message: 'Give quantity or adjust_by, not both', path: ['adjust_by'] })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Give at least one field to change' })
  .meta({ id: 'UpdateInventoryItemRequest' });

/** Query of `GET /inventory`. */
export const InventoryListQuery = ListQuery.extend({
  q: z.string().trim().min(1).max(100).optional().describe('Only items whose name contains this (case-insensitive)'),
  low_stock: QueryBoolean.optional().describe('Only items at or below (true) or above (false) their threshold'),
});

/** A page of inventory items, newest first. */
export const InventoryList = z.object({ items: z.array(InventoryItem), next_cursor: NextCursor }).meta({ id: 'InventoryList' });
