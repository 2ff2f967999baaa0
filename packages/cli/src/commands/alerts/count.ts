import type { Command } from 'commander';
import { ADMIN_SETTINGS } from '../../lib/required-settings.js';
import { noun } from '../../lib/nouns.js';
import { createOutput, keyValues } from '../../lib/output.js';
import { addSettingOptions, resolveSettings } from '../../lib/settings.js';

interface Options {
  json?: boolean;
  [setting: string]: unknown;
}

/** `careos alerts count`: how many alerts are active, in all and by severity (staff or admin). */
export function register(program: Command): void {
  const command = noun(program, 'alerts')
    .command('count')
    .description('Count the active (not dismissed) alerts, in all and by severity (staff or admin)')
    .option('--json', 'print the counts as the API returns them');
  addSettingOptions(command, ADMIN_SETTINGS);
  command.action(async (options: Options) => {
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(ADMIN_SETTINGS, options);
    const { withAdminClient } = await import('../../lib/clients.js');
    await withAdminClient(settings, async (client) => {
      const counts = await client.alerts.count();
      out.data(counts, () => keyValues(out.color, [['active', counts.active], ...Object.entries(counts.by_severity)]));
    });
  });
}
