import type { Command } from 'commander';
import { CliError, ExitCode } from '../../lib/exit-codes.js';
import { noun } from '../../lib/nouns.js';
import { pageOptions, pageQuery, staffCommand, type StaffOptions } from '../../lib/staff-command.js';
import { integerBetween } from '../../lib/option-parsers.js';

/** Largest quantity or threshold (the contract's MAX_STOCK, spelled out so that `--help` loads no schema). */
const MAX_STOCK = 1_000_000_000;

interface Options extends StaffOptions {
  name?: string;
  sku?: string | false;
  unit?: string | false;
  quantity?: number;
  threshold?: number;
}

/** `careos inventory update <id>`: change an item's fields or set its stock (admin). */
export function register(program: Command): void {
  const command = noun(program, 'inventory')
    .command('update')
    .argument('<id>', 'an item id (inv_…)')
    .description('Change an item: its name, SKU, unit or threshold, or set its stock (admin); to add or take away, use `careos inventory adjust`')
    .option('--name <name>', 'a new name')
    .option('--sku <sku>', 'a new SKU')
    .option('--no-sku', 'remove the SKU')
    .option('--unit <unit>', 'a new unit')
    .option('--no-unit', 'remove the unit')
    .option('--quantity <n>', 'set the stock to this', integerBetween(0, MAX_STOCK))
    .option('--threshold <n>', 'a new low-stock threshold', integerBetween(0, MAX_STOCK))
    .option('--json', 'print the item as the API returns it');
  const run = staffCommand(command);
  command.action(async (id: string, options: Options) => {
    const body = {
      ...(options.name !== undefined ? { name: options.name } : {}),
      ...(options.sku !== undefined ? { sku: options.sku || null } : {}),
      ...(options.unit !== undefined ? { unit: options.unit || null } : {}),
      ...(options.quantity !== undefined ? { quantity: options.quantity } : {}),
      ...(options.threshold !== undefined ? { low_stock_threshold: options.threshold } : {}),
    };
    if (Object.keys(body).length === 0) {
      throw new CliError('Nothing to change: give at least one of --name, --sku, --no-sku, --unit, --no-unit, --quantity, --threshold', ExitCode.USAGE);
    }
    await run(options, async (client, out) => {
      const { itemDetail } = await import('../../lib/inventory-output.js');
      const item = await client.inventory.update(id, body);
      out.data(item, () => `Updated ${item.id}\n${itemDetail(out, item)}`);
    });
  });
}
