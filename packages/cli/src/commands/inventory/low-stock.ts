import { PAGE_SIZE } from '@careos/contract';
import type { Command } from 'commander';
import { ADMIN_SETTINGS } from '../../lib/required-settings.js';
import { noun } from '../../lib/nouns.js';
import { integerBetween } from '../../lib/option-parsers.js';
import { createOutput } from '../../lib/output.js';
import { addSettingOptions, resolveSettings } from '../../lib/settings.js';

interface Options {
  limit?: number;
  cursor?: string;
  json?: boolean;
  [setting: string]: unknown;
}

/** `careos inventory low-stock`: the items at or below their threshold (staff or admin). */
export function register(program: Command): void {
  const command = noun(program, 'inventory')
    .command('low-stock')
    .description('List the items at or below their low-stock threshold, newest first (staff or admin)')
    .option('--limit <n>', `page size, 1-${PAGE_SIZE.max} (default ${PAGE_SIZE.default})`, integerBetween(1, PAGE_SIZE.max))
    .option('--cursor <cursor>', 'the next page: the cursor printed under the previous one')
    .option('--json', 'print the page exactly as the API returns it');
  addSettingOptions(command, ADMIN_SETTINGS);
  command.action(async (options: Options) => {
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(ADMIN_SETTINGS, options);
    const [{ withAdminClient }, { itemTable }] = await Promise.all([import('../../lib/clients.js'), import('../../lib/inventory-output.js')]);
    await withAdminClient(settings, async (client) => {
      const page = await client.inventory.lowStock({
        ...(options.limit ? { limit: options.limit } : {}),
        ...(options.cursor ? { cursor: options.cursor } : {}),
      });
      const body = page.body as { items: typeof page.data; next_cursor: string | null };
      out.data(body, () => itemTable(out, body, 'Nothing is low on stock.'));
    });
  });
}
