import type { Command } from 'commander';
import { noun } from '../../lib/nouns.js';
import { pageOptions, pageQuery, staffCommand, type StaffOptions } from '../../lib/staff-command.js';
import { keyValues } from '../../lib/output.js';

type Options = StaffOptions;

/** `careos alerts count`: how many alerts are active, in all and by severity (staff or admin). */
export function register(program: Command): void {
  const command = noun(program, 'alerts')
    .command('count')
    .description('Count the active (not dismissed) alerts, in all and by severity (staff or admin)')
    .option('--json', 'print the counts as the API returns them');
  const run = staffCommand(command);
  command.action((options: Options) =>
    run(options, async (client, out) => {
      const counts = await client.alerts.count();
      out.data(counts, () => keyValues(out.color, [['active', counts.active], ...Object.entries(counts.by_severity)]));
    }),
  );
}
