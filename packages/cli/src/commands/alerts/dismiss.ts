import type { Command } from 'commander';
import { ADMIN_SETTINGS } from '../../lib/required-settings.js';
import { noun } from '../../lib/nouns.js';
import { createOutput } from '../../lib/output.js';
import { addSettingOptions, resolveSettings } from '../../lib/settings.js';

interface Options {
  json?: boolean;
  [setting: string]: unknown;
}

/** `careos alerts dismiss <id>`: dismiss an alert as the signed-in account (staff or admin). */
export function register(program: Command): void {
  const command = noun(program, 'alerts')
    .command('dismiss')
    .argument('<id>', 'an alert id (alrt_…)')
    .description('Dismiss an alert, recorded with your account and the time; an alert already dismissed keeps its first dismissal (staff or admin)')
    .option('--json', 'print the alert as the API returns it');
  addSettingOptions(command, ADMIN_SETTINGS);
  command.action(async (id: string, options: Options) => {
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(ADMIN_SETTINGS, options);
    const [{ withAdminClient }, { alertDetail }] = await Promise.all([import('../../lib/clients.js'), import('../../lib/alert-output.js')]);
    await withAdminClient(settings, async (client) => {
      const alert = await client.alerts.dismiss(id);
      out.data(alert, () => `Dismissed ${alert.id}\n${alertDetail(out, alert)}`);
    });
  });
}
