import type { Command } from 'commander';
import { ADMIN_SETTINGS } from '../../lib/required-settings.js';
import { noun } from '../../lib/nouns.js';
import { integerBetween } from '../../lib/option-parsers.js';
import { createOutput } from '../../lib/output.js';
import { addSettingOptions, resolveSettings } from '../../lib/settings.js';

/** Largest quantity or threshold (the contract's MAX_STOCK, spelled out so that `--help` loads no schema). */
const MAX_STOCK = 1_000_000_000;

interface Options {
  name: string;
  quantity: number;
  sku?: string;
  unit?: string;
  threshold?: number;
  json?: boolean;
  [setting: string]: unknown;
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
  addSettingOptions(command, ADMIN_SETTINGS);
  command.action(async (options: Options) => {
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(ADMIN_SETTINGS, options);
    const [{ withAdminClient }, { itemDetail }] = await Promise.all([import('../../lib/clients.js'), import('../../lib/inventory-output.js')]);
    await withAdminClient(settings, async (client) => {
      const item = await client.inventory.create({
        name: options.name,
        quantity: options.quantity,
        ...(options.sku ? { sku: options.sku } : {}),
        ...(options.unit ? { unit: options.unit } : {}),
        ...(options.threshold !== undefined ? { low_stock_threshold: options.threshold } : {}),
      });
      out.data(item, () => `Created ${item.id}\n${itemDetail(out, item)}`);
    });
  });
}
