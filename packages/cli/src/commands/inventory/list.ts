import type { Command } from 'commander';
import { noun } from '../../lib/nouns.js';
import { pageOptions, pageQuery, staffCommand, type StaffOptions } from '../../lib/staff-command.js';

interface Options extends StaffOptions {
  search?: string;
  lowStock?: boolean;
}

/** `careos inventory list`: one page of inventory items, newest first (staff or admin). */
export function register(program: Command): void {
  const command = noun(program, 'inventory')
    .command('list')
    .description('List inventory items, newest first: quantity, threshold, whether low on stock (staff or admin)')
    .option('--search <text>', 'only items whose name contains this (any case)')
    .option('--low-stock', 'only items at or below their threshold')
    .option('--json', 'print the page exactly as the API returns it');
  const run = staffCommand(pageOptions(command));
  command.action((options: Options) =>
    run(options, async (client, out) => {
      const { itemTable } = await import('../../lib/inventory-output.js');
      const page = await client.inventory.list({
        ...(options.search ? { q: options.search } : {}),
        ...(options.lowStock ? { low_stock: 'true' as const } : {}),
        ...pageQuery(options),
      });
      const body = page.body as { items: typeof page.data; next_cursor: string | null };
      out.data(body, () => itemTable(out, body));
    }),
  );
}
