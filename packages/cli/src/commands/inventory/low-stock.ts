import type { Command } from 'commander';
import { noun } from '../../lib/nouns.js';
import { pageOptions, pageQuery, staffCommand, type StaffOptions } from '../../lib/staff-command.js';

type Options = StaffOptions;

/** `careos inventory low-stock`: the items at or below their threshold (staff or admin). */
export function register(program: Command): void {
  const command = noun(program, 'inventory')
    .command('low-stock')
    .description('List the items at or below their low-stock threshold, newest first (staff or admin)')
    .option('--json', 'print the page exactly as the API returns it');
  const run = staffCommand(pageOptions(command));
  command.action((options: Options) =>
    run(options, async (client, out) => {
      const { itemTable } = await import('../../lib/inventory-output.js');
      const page = await client.inventory.lowStock(pageQuery(options));
      const body = page.body as { items: typeof page.data; next_cursor: string | null };
      out.data(body, () => itemTable(out, body, 'Nothing is low on stock.'));
    }),
  );
}
