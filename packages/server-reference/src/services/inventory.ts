import { ErrorCode, ErrorText, MAX_STOCK, type InventoryItem } from '@careos/contract';
import { and, desc, eq, gt, ilike, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Tx } from '../db/database.js';
import { inventoryItems } from '../db/schema/index.js';
import { decodeCursor, page } from '../domain/cursor.js';
import { DomainError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { AlertService } from './alerts.js';
import type { ServiceContext } from './context.js';
import { sqlState } from '../db/sql-state.js';

type ItemRow = typeof inventoryItems.$inferSelect;

/** The alert type of an item at or below its threshold. */
export const INVENTORY_LOW_ALERT = 'inventory_low';

/** A new item. */
export interface CreateItemInput {
  name: string;
  sku?: string | undefined;
  unit?: string | undefined;
  quantity: number;
  lowStockThreshold: number;
}

/** Changes to an item: fields, and the stock set (`quantity`) or moved (`adjustBy`), not both. */
export interface UpdateItemInput {
  name?: string | undefined;
  sku?: string | null | undefined;
  unit?: string | null | undefined;
  quantity?: number | undefined;
  adjustBy?: number | undefined;
  lowStockThreshold?: number | undefined;
}

/** Filters and page of {@link InventoryService.list}. */
export interface ListItemsInput {
  limit: number;
  cursor?: string | undefined;
  /** Part of the name, any case. */
  search?: string | undefined;
  lowStock?: boolean | undefined;
}

/** A stored item as the API shows it. */
function itemDto(row: ItemRow): InventoryItem {
  return {
    id: row.id,
    name: row.name,
    sku: row.sku,
    unit: row.unit,
    quantity: row.quantity,
    low_stock_threshold: row.lowStockThreshold,
    low_stock: row.quantity <= row.lowStockThreshold,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

const skuTaken = (sku: string | null | undefined) => new DomainError(ErrorCode.ALREADY_EXISTS, ErrorText.skuExists, { message: `Another item has SKU ${sku}` });

/**
 * Supplies in stock. Every change is one transaction that updates the item's row (taking its
 * lock) and then raises or resolves its low-stock alert from what that update returned, so
 * concurrent changes of one item queue on the row: no update is lost, the stock never goes
 * below zero, and the alert flag (`low_alert_id`) flips exactly once per fall and restock.
 */
export class InventoryService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly alerts: AlertService,
  ) {}

  /** Adds an item; one already at or below its threshold raises its alert at once. */
  async create(input: CreateItemInput): Promise<InventoryItem> {
    const now = this.ctx.clock.now();
    try {
      return await this.ctx.db.orm.transaction(async (tx) => {
        const [row] = await tx
          .insert(inventoryItems)
          .values({ id: newId('inv', now), name: input.name, sku: input.sku ?? null, unit: input.unit ?? null, quantity: input.quantity, lowStockThreshold: input.lowStockThreshold, createdAt: now, updatedAt: now })
          .returning();
        return itemDto(await this.#settleLowStock(tx, row!));
      });
    } catch (error) {
      if (sqlState(error, '23505', 'inventory_items_sku_key')) throw skuTaken(input.sku);
      throw error;
    }
  }

  /**
   * Changes an item atomically. `adjustBy` is applied by the database (`quantity + n`) under a
   * guard that keeps the result within 0..MAX_STOCK: a change the guard refuses changes nothing
   * and is answered `INSUFFICIENT_STOCK` (or a validation error above the maximum).
   */
  async update(id: string, input: UpdateItemInput): Promise<InventoryItem> {
    const { adjustBy } = input;
    const set: PgUpdateSetSource<typeof inventoryItems> = { updatedAt: this.ctx.clock.now() };
    if (input.name !== undefined) set.name = input.name;
    if (input.sku !== undefined) set.sku = input.sku;
    if (input.unit !== undefined) set.unit = input.unit;
    if (input.lowStockThreshold !== undefined) set.lowStockThreshold = input.lowStockThreshold;
    if (input.quantity !== undefined) set.quantity = input.quantity;
    if (adjustBy !== undefined) set.quantity = sql`${inventoryItems.quantity} + ${adjustBy}`;
    const guard = adjustBy === undefined ? undefined : sql`${inventoryItems.quantity} + ${adjustBy} between 0 and ${MAX_STOCK}`;
    try {
      return await this.ctx.db.orm.transaction(async (tx) => {
        const [row] = await tx.update(inventoryItems).set(set).where(and(eq(inventoryItems.id, id), guard)).returning();
        if (!row) throw await this.#whyNotUpdated(tx, id, adjustBy);
        return itemDto(await this.#settleLowStock(tx, row));
      });
    } catch (error) {
      if (sqlState(error, '23505', 'inventory_items_sku_key')) throw skuTaken(input.sku);
      throw error;
    }
  }

  /** One item; 404 when there is none. */
  async get(id: string): Promise<InventoryItem> {
    const [row] = await this.ctx.db.orm.select().from(inventoryItems).where(eq(inventoryItems.id, id)).limit(1);
    if (!row) throw notFound(id);
    return itemDto(row);
  }

  /** One page of items, newest first, filtered. */
  async list(input: ListItemsInput): Promise<{ items: InventoryItem[]; nextCursor: string | null }> {
    const conditions: (SQL | undefined)[] = [];
    if (input.cursor) conditions.push(lt(inventoryItems.id, decodeCursor(input.cursor, 'inv')));
    if (input.search) conditions.push(ilike(inventoryItems.name, `%${input.search.replace(/[\\%_]/g, '\\$&')}%`));
    if (input.lowStock !== undefined) conditions.push(input.lowStock ? lte(inventoryItems.quantity, inventoryItems.lowStockThreshold) : gt(inventoryItems.quantity, inventoryItems.lowStockThreshold));
    const rows = await this.ctx.db.orm
      .select()
      .from(inventoryItems)
      .where(and(...conditions))
      .orderBy(desc(inventoryItems.id))
      .limit(input.limit + 1);
    const { items, nextCursor } = page(rows, input.limit);
    return { items: items.map(itemDto), nextCursor };
  }

  /**
   * Raises the item's low-stock alert when it is at or below its threshold and has none, or
   * resolves it when the item is above the threshold again (re-arming it). Runs in the
   * transaction that changed the row, which holds the row's lock until commit.
   */
  async #settleLowStock(tx: Tx, row: ItemRow): Promise<ItemRow> {
    const low = row.quantity <= row.lowStockThreshold;
    if (low && !row.lowAlertId) {
      const alertId = await this.alerts.insert(tx, {
        type: INVENTORY_LOW_ALERT,
        severity: 'warning',
        message: `${row.name} is low on stock: ${row.quantity} left (threshold ${row.lowStockThreshold})`,
        context: { item_id: row.id, quantity: row.quantity, low_stock_threshold: row.lowStockThreshold },
        subject: { type: 'inventory_item', id: row.id },
      });
      await tx.update(inventoryItems).set({ lowAlertId: alertId }).where(eq(inventoryItems.id, row.id));
      return { ...row, lowAlertId: alertId };
    }
    if (!low && row.lowAlertId) {
      await this.alerts.resolve(tx, row.lowAlertId);
      await tx.update(inventoryItems).set({ lowAlertId: null }).where(eq(inventoryItems.id, row.id));
      return { ...row, lowAlertId: null };
    }
    return row;
  }

  /** Why an update matched no row: no such item, or the adjustment left the allowed range. */
  async #whyNotUpdated(tx: Tx, id: string, adjustBy: number | undefined): Promise<DomainError> {
    const [row] = await tx.select({ quantity: inventoryItems.quantity }).from(inventoryItems).where(eq(inventoryItems.id, id)).limit(1);
    if (!row || adjustBy === undefined) return notFound(id);
    if (adjustBy < 0) {
      return new DomainError(ErrorCode.INSUFFICIENT_STOCK, ErrorText.insufficientStock, { message: `Only ${row.quantity} in stock; cannot take away ${-adjustBy}` });
    }
    return new DomainError(ErrorCode.VALIDATION_FAILED, ErrorText.invalidBody, {
      message: `The stock would exceed ${MAX_STOCK}`,
      details: [{ path: 'adjust_by', message: `At most ${MAX_STOCK - row.quantity} for this item` }],
    });
  }
}

function notFound(id: string): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: `No inventory item ${id}` });
}
