import type { Command } from 'commander';
import { ADMIN_SETTINGS } from '../../lib/required-settings.js';
import { noun } from '../../lib/nouns.js';
import { createOutput } from '../../lib/output.js';
import { addSettingOptions, resolveSettings } from '../../lib/settings.js';

interface Options {
  json?: boolean;
  [setting: string]: unknown;
}

/** `careos inventory get <id>`: one inventory item (staff or admin). */
export function register(program: Command): void {
  const command = noun(program, 'inventory')
    .command('get')
    .argument('<id>', 'an item id (inv_…) from `careos inventory list`')
    .description('Show one inventory item (staff or admin)')
    .option('--json', 'print the item as the API returns it');
  addSettingOptions(command, ADMIN_SETTINGS);
  command.action(async (id: string, options: Options) => {
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(ADMIN_SETTINGS, options);
    const [{ withAdminClient }, { itemDetail }] = await Promise.all([import('../../lib/clients.js'), import('../../lib/inventory-output.js')]);
    await withAdminClient(settings, async (client) => {
      const item = await client.inventory.retrieve(id);
      out.data(item, () => itemDetail(out, item));
    });
  });
}
