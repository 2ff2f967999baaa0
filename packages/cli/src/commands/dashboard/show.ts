import type { Command } from 'commander';
import { ADMIN_SETTINGS } from '../../lib/required-settings.js';
import { noun } from '../../lib/nouns.js';
import { createOutput, keyValues } from '../../lib/output.js';
import { addSettingOptions, resolveSettings } from '../../lib/settings.js';

interface Options {
  json?: boolean;
  [setting: string]: unknown;
}

/** `careos dashboard`: the business metrics of `GET /dashboard` (staff or admin). */
export function register(program: Command): void {
  const command = noun(program, 'dashboard').option('--json', 'print the figures as the API returns them');
  addSettingOptions(command, ADMIN_SETTINGS);
  command.action(async (options: Options) => {
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(ADMIN_SETTINGS, options);
    const { withAdminClient } = await import('../../lib/clients.js');
    await withAdminClient(settings, async (client) => {
      const d = await client.dashboard.get();
      const { critical, warning, info } = d.alerts.by_severity;
      out.data(d, () =>
        keyValues(out.color, [
          ['Contacts', `${d.contacts.total} (${d.contacts.new_this_week} new in 7 days)`],
          ['Leads', `${d.leads.total} (${d.leads.new_this_week} new in 7 days)`],
          ['Low stock', `${d.inventory.low_stock} item${d.inventory.low_stock === 1 ? '' : 's'}`],
          ['Active alerts', `${d.alerts.active} (critical ${critical}, warning ${warning}, info ${info})`],
          ['Messages', `${d.messages.queued} queued, ${d.messages.failed} failed`],
          ['As of', d.generated_at],
        ]),
      );
    });
  });
}
