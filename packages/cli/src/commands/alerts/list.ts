import { OPS_ALERT_SEVERITIES, PAGE_SIZE } from '@careos/contract';
import type { Command } from 'commander';
import { ADMIN_SETTINGS } from '../../lib/required-settings.js';
import { noun } from '../../lib/nouns.js';
import { integerBetween, oneOf } from '../../lib/option-parsers.js';
import { createOutput } from '../../lib/output.js';
import { addSettingOptions, resolveSettings } from '../../lib/settings.js';

interface Options {
  type?: string;
  severity?: (typeof OPS_ALERT_SEVERITIES)[number];
  active?: boolean;
  dismissed?: boolean;
  limit?: number;
  cursor?: string;
  json?: boolean;
  [setting: string]: unknown;
}

/** `careos alerts list`: one page of operations alerts, newest first (staff or admin). */
export function register(program: Command): void {
  const command = noun(program, 'alerts')
    .command('list')
    .description('List operations alerts, newest first: failed SMS, payouts and webhook deliveries, items low on stock (staff or admin)')
    .option('--type <type>', 'only alerts of this type, e.g. inventory_low, sms_failed, payout_failed, webhook_failed')
    .option('--severity <severity>', OPS_ALERT_SEVERITIES.join(', '), oneOf(OPS_ALERT_SEVERITIES))
    .option('--active', 'only alerts not dismissed')
    .option('--dismissed', 'only dismissed alerts')
    .option('--limit <n>', `page size, 1-${PAGE_SIZE.max} (default ${PAGE_SIZE.default})`, integerBetween(1, PAGE_SIZE.max))
    .option('--cursor <cursor>', 'the next page: the cursor printed under the previous one')
    .option('--json', 'print the page exactly as the API returns it');
  addSettingOptions(command, ADMIN_SETTINGS);
  command.action(async (options: Options) => {
    if (options.active && options.dismissed) {
      const { CliError, ExitCode } = await import('../../lib/exit-codes.js');
      throw new CliError('--active and --dismissed exclude each other', ExitCode.USAGE);
    }
    const out = createOutput({ json: options.json });
    const settings = await resolveSettings(ADMIN_SETTINGS, options);
    const [{ withAdminClient }, { alertTable }] = await Promise.all([import('../../lib/clients.js'), import('../../lib/alert-output.js')]);
    await withAdminClient(settings, async (client) => {
      const page = await client.alerts.list({
        ...(options.type ? { type: options.type } : {}),
        ...(options.severity ? { severity: options.severity } : {}),
        ...(options.active || options.dismissed ? { dismissed: options.dismissed ? ('true' as const) : ('false' as const) } : {}),
        ...(options.limit ? { limit: options.limit } : {}),
        ...(options.cursor ? { cursor: options.cursor } : {}),
      });
      const body = page.body as { alerts: typeof page.data; next_cursor: string | null };
      out.data(body, () => alertTable(out, body));
    });
  });
}
