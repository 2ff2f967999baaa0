import type { InventoryItem } from '@careos/contract';
import { keyValues, table, type Output } from './output.js';

// How `careos inventory …` prints items for people (`--json` prints the API's body instead).

/** A page of items as a table, with the next page's cursor under it. */
export function itemTable(out: Output, page: { items: InventoryItem[]; next_cursor: string | null }, empty = 'No items match.'): string {
  if (page.items.length === 0) return out.color.dim(empty);
  const rows = page.items.map((i) => [i.id, i.name, i.sku, i.quantity, i.unit, i.low_stock_threshold, i.low_stock ? 'low' : 'ok']);
  const lines = [table(out.color, ['ID', 'NAME', 'SKU', 'QUANTITY', 'UNIT', 'THRESHOLD', 'STOCK'], rows)];
  if (page.next_cursor) lines.push(out.color.dim(`More: --cursor ${page.next_cursor}`));
  return lines.join('\n');
}

/** One item, field by field. */
export function itemDetail(out: Output, item: InventoryItem): string {
  return keyValues(out.color, [
    ['id', item.id],
    ['name', item.name],
    ['sku', item.sku],
    ['quantity', item.unit ? `${item.quantity} ${item.unit}` : item.quantity],
    ['threshold', item.low_stock_threshold],
    ['stock', item.low_stock ? out.color.yellow('low (at or below the threshold)') : 'ok'],
    ['updated', item.updated_at],
  ]);
}
