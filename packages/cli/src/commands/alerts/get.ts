import type { Command } from 'commander';
import { ADMIN_SETTINGS } from '../../lib/required-settings.js';
import { noun } from '../../lib/nouns.js';
import { createOutput } from '../../lib/output.js';
import { addSettingOptions, resolveSettings } from '../../lib/settings.js';

interface Options {
  json?: boolean;
  [setting: string]: unknown;
}

/** `careos alerts get <id>`: one alert (staff or admin). */
export function register(program: Command): void {
  const command = noun(program, 'alerts')
    .command('get')
    .argument('<id>', 'an alert id (alrt_…) from `careos alerts list`')
    .description('Show one alert: what happened, what it is about, whether and by whom it was dismissed (staff or admin)')
    .option('--json', 'print the alert as the API returns it');
  addSettingOptions(command, ADMIN_SETTINGS);
  command.action(async (id: string, options: Options) => {
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(ADMIN_SETTINGS, options);
    const [{ withAdminClient }, { alertDetail }] = await Promise.all([import('../../lib/clients.js'), import('../../lib/alert-output.js')]);
    await withAdminClient(settings, async (client) => {
      const alert = await client.alerts.retrieve(id);
      out.data(alert, () => alertDetail(out, alert));
    });
  });
}
