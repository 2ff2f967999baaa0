import type { Command } from 'commander';
import { ADMIN_SETTINGS } from '../../lib/required-settings.js';
import { noun } from '../../lib/nouns.js';
import { nonZeroIntegerBetween } from '../../lib/option-parsers.js';
import { createOutput } from '../../lib/output.js';
import { addSettingOptions, resolveSettings } from '../../lib/settings.js';

/** Largest single adjustment (the contract's MAX_STOCK, spelled out so that `--help` loads no schema). */
const MAX_STOCK = 1_000_000_000;

interface Options {
  by: number;
  json?: boolean;
  [setting: string]: unknown;
}

/** `careos inventory adjust <id> --by <n>`: add to or take from an item's stock, atomically (admin). */
export function register(program: Command): void {
  const command = noun(program, 'inventory')
    .command('adjust')
    .argument('<id>', 'an item id (inv_…)')
    .description('Add to (--by +10) or take from (--by -1) an item’s stock in one atomic step (admin); refused, exit 3, if it would go below 0')
    .requiredOption('--by <n>', 'units to add (positive) or take away (negative)', nonZeroIntegerBetween(-MAX_STOCK, MAX_STOCK))
    .option('--json', 'print the item as the API returns it');
  addSettingOptions(command, ADMIN_SETTINGS);
  command.action(async (id: string, options: Options) => {
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(ADMIN_SETTINGS, options);
    const [{ withAdminClient }, { itemDetail }] = await Promise.all([import('../../lib/clients.js'), import('../../lib/inventory-output.js')]);
    await withAdminClient(settings, async (client) => {
      const item = await client.inventory.adjust(id, options.by);
      out.data(item, () => `${options.by > 0 ? 'Added' : 'Took away'} ${Math.abs(options.by)}: ${item.quantity} left\n${itemDetail(out, item)}`);
    });
  });
}
