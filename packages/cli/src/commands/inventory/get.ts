import type { Command } from 'commander';
import { noun } from '../../lib/nouns.js';
import { pageOptions, pageQuery, staffCommand, type StaffOptions } from '../../lib/staff-command.js';

type Options = StaffOptions;

/** `careos inventory get <id>`: one inventory item (staff or admin). */
export function register(program: Command): void {
  const command = noun(program, 'inventory')
    .command('get')
    .argument('<id>', 'an item id (inv_…) from `careos inventory list`')
    .description('Show one inventory item (staff or admin)')
    .option('--json', 'print the item as the API returns it');
  const run = staffCommand(command);
  command.action((id: string, options: Options) =>
    run(options, async (client, out) => {
      const { itemDetail } = await import('../../lib/inventory-output.js');
      const item = await client.inventory.retrieve(id);
      out.data(item, () => itemDetail(out, item));
    }),
  );
}
