import type { Command } from 'commander';
import { noun } from '../../lib/nouns.js';
import { pageOptions, pageQuery, staffCommand, type StaffOptions } from '../../lib/staff-command.js';

type Options = StaffOptions;

/** `careos alerts dismiss <id>`: dismiss an alert as the signed-in account (staff or admin). */
export function register(program: Command): void {
  const command = noun(program, 'alerts')
    .command('dismiss')
    .argument('<id>', 'an alert id (alrt_…)')
    .description('Dismiss an alert, recorded with your account and the time; an alert already dismissed keeps its first dismissal (staff or admin)')
    .option('--json', 'print the alert as the API returns it');
  const run = staffCommand(command);
  command.action((id: string, options: Options) =>
    run(options, async (client, out) => {
      const { alertDetail } = await import('../../lib/alert-output.js');
      const alert = await client.alerts.dismiss(id);
      out.data(alert, () => `Dismissed ${alert.id}\n${alertDetail(out, alert)}`);
    }),
  );
}
