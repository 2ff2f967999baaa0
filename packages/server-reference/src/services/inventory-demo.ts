import { ErrorCode } from '@careos/contract';
import { DomainError } from '../domain/errors.js';
import type { CreateItemInput, InventoryService } from './inventory.js';

/**
 * The demo's supplies: one below its threshold (so `/inventory/low-stock` and `/alerts` show
 * something from the start), one just above it (one `adjust_by: -2` away), the rest well stocked.
 */
export const DEMO_INVENTORY: readonly (CreateItemInput & { sku: string })[] = [
  { name: 'Nitrile gloves (M)', sku: 'DEMO-GLOVES-M', unit: 'box', quantity: 3, lowStockThreshold: 5 },
  { name: 'Printed intake forms', sku: 'DEMO-FORMS', unit: 'pad', quantity: 6, lowStockThreshold: 5 },
  { name: 'Hand sanitiser 500 ml', sku: 'DEMO-SANITISER', unit: 'bottle', quantity: 24, lowStockThreshold: 6 },
  { name: 'Surgical face masks', sku: 'DEMO-MASKS', unit: 'box', quantity: 40, lowStockThreshold: 10 },
];

/** Adds the demo supplies; an item whose SKU exists already is left as it is, so seeding twice adds nothing. */
export async function seedInventoryDemo(inventory: InventoryService): Promise<void> {
  for (const item of DEMO_INVENTORY) {
    try {
      await inventory.create(item);
    } catch (error) {
      if (!(error instanceof DomainError && error.code === ErrorCode.ALREADY_EXISTS)) throw error;
    }
  }
}
