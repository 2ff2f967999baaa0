import type { Command } from 'commander';
import { noun } from '../../lib/nouns.js';
import { pageOptions, pageQuery, staffCommand, type StaffOptions } from '../../lib/staff-command.js';
import { integerBetween } from '../../lib/option-parsers.js';

/** Largest quantity or threshold (the contract's MAX_STOCK, spelled out so that `--help` loads no schema). */
const MAX_STOCK = 1_000_000_000;

interface Options extends StaffOptions {
  name: string;
  quantity: number;
  sku?: string;
  unit?: string;
  threshold?: number;
}

/** `careos inventory create`: add an item (admin). */
export function register(program: Command): void {
  const command = noun(program, 'inventory')
    .command('create')
    .description('Add an item to the inventory (admin); one created at or below its threshold raises its low-stock alert')
    .requiredOption('--name <name>', 'what the item is, e.g. "Nitrile gloves (M)"')
    .requiredOption('--quantity <n>', 'units in stock now', integerBetween(0, MAX_STOCK))
    .option('--sku <sku>', 'stock-keeping unit, unique')
    .option('--unit <unit>', 'what one unit is, e.g. box')
    .option('--threshold <n>', 'low on stock at or below this quantity (default 0)', integerBetween(0, MAX_STOCK))
    .option('--json', 'print the new item as the API returns it');
  const run = staffCommand(command);
  command.action((options: Options) =>
    run(options, async (client, out) => {
      const { itemDetail } = await import('../../lib/inventory-output.js');
      const item = await client.inventory.create({
        name: options.name,
        quantity: options.quantity,
        ...(options.sku ? { sku: options.sku } : {}),
        ...(options.unit ? { unit: options.unit } : {}),
        ...(options.threshold !== undefined ? { low_stock_threshold: options.threshold } : {}),
      });
      out.data(item, () => `Created ${item.id}\n${itemDetail(out, item)}`);
    }),
  );
}
