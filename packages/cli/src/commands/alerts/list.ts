import { OPS_ALERT_SEVERITIES } from '@careos/contract';
import type { Command } from 'commander';
import { noun } from '../../lib/nouns.js';
import { pageOptions, pageQuery, staffCommand, type StaffOptions } from '../../lib/staff-command.js';
import { oneOf } from '../../lib/option-parsers.js';

interface Options extends StaffOptions {
  type?: string;
  severity?: (typeof OPS_ALERT_SEVERITIES)[number];
  active?: boolean;
  dismissed?: boolean;
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
    .option('--json', 'print the page exactly as the API returns it');
  const run = staffCommand(pageOptions(command));
  command.action(async (options: Options) => {
    if (options.active && options.dismissed) {
      const { CliError, ExitCode } = await import('../../lib/exit-codes.js');
      throw new CliError('--active and --dismissed exclude each other', ExitCode.USAGE);
    }
    await run(options, async (client, out) => {
      const { alertTable } = await import('../../lib/alert-output.js');
      const page = await client.alerts.list({
        ...(options.type ? { type: options.type } : {}),
        ...(options.severity ? { severity: options.severity } : {}),
        ...(options.active || options.dismissed ? { dismissed: options.dismissed ? ('true' as const) : ('false' as const) } : {}),
        ...pageQuery(options),
      });
      const body = page.body as { alerts: typeof page.data; next_cursor: string | null };
      out.data(body, () => alertTable(out, body));
    });
  });
}
