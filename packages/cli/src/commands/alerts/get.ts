import type { Command } from 'commander';
import { noun } from '../../lib/nouns.js';
import { pageOptions, pageQuery, staffCommand, type StaffOptions } from '../../lib/staff-command.js';

type Options = StaffOptions;

/** `careos alerts get <id>`: one alert (staff or admin). */
export function register(program: Command): void {
  const command = noun(program, 'alerts')
    .command('get')
    .argument('<id>', 'an alert id (alrt_…) from `careos alerts list`')
    .description('Show one alert: what happened, what it is about, whether and by whom it was dismissed (staff or admin)')
    .option('--json', 'print the alert as the API returns it');
  const run = staffCommand(command);
  command.action((id: string, options: Options) =>
    run(options, async (client, out) => {
      const { alertDetail } = await import('../../lib/alert-output.js');
      const alert = await client.alerts.retrieve(id);
      out.data(alert, () => alertDetail(out, alert));
    }),
  );
}
