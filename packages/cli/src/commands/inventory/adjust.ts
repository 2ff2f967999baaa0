import type { Command } from 'commander';
import { noun } from '../../lib/nouns.js';
import { pageOptions, pageQuery, staffCommand, type StaffOptions } from '../../lib/staff-command.js';
import { nonZeroIntegerBetween } from '../../lib/option-parsers.js';

/** Largest single adjustment (the contract's MAX_STOCK, spelled out so that `--help` loads no schema). */
const MAX_STOCK = 1_000_000_000;

interface Options extends StaffOptions {
  by: number;
}

/** `careos inventory adjust <id> --by <n>`: add to or take from an item's stock, atomically (admin). */
export function register(program: Command): void {
  const command = noun(program, 'inventory')
    .command('adjust')
    .argument('<id>', 'an item id (inv_…)')
    .description('Add to (--by +10) or take from (--by -1) an item’s stock in one atomic step (admin); refused, exit 3, if it would go below 0')
    .requiredOption('--by <n>', 'units to add (positive) or take away (negative)', nonZeroIntegerBetween(-MAX_STOCK, MAX_STOCK))
    .option('--json', 'print the item as the API returns it');
  const run = staffCommand(command);
  command.action((id: string, options: Options) =>
    run(options, async (client, out) => {
      const { itemDetail } = await import('../../lib/inventory-output.js');
      const item = await client.inventory.adjust(id, options.by);
      out.data(item, () => `${options.by > 0 ? 'Added' : 'Took away'} ${Math.abs(options.by)}: ${item.quantity} left\n${itemDetail(out, item)}`);
    }),
  );
}
