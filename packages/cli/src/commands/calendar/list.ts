import type { Command } from 'commander';
import { noun } from '../../lib/nouns.js';
import { table } from '../../lib/output.js';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';

/** `careos calendar list` (or `integrations`): your connected calendars and whether they work (staff). */
export function register(program: Command): void {
  const command = noun(program, 'calendar')
    .command('list')
    .alias('integrations')
    .description('List your connected calendars: provider, status (connected or needs_reauth), scopes')
    .option('--json', 'print the answer exactly as the API returns it');
  const run = staffCommand(command);
  command.action((options: StaffOptions) =>
    run(options, async (client, out) => {
      const body = await client.calendar.integrations();
      out.data(body, () =>
        body.integrations.length === 0
          ? 'No calendar connected. Connect one: careos calendar connect google|microsoft|sandbox'
          : table(out.color, ['Provider', 'Status', 'Connected', 'Scopes'], body.integrations.map((i) => [i.provider, i.status, i.connected_at, i.scopes.join(' ')])),
      );
    }),
  );
}
