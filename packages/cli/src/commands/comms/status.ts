import type { Command } from 'commander';
import { renderCommunication } from '../../lib/comms-output.js';
import { noun } from '../../lib/nouns.js';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';

/** `careos comms status <id>`: where one communication is (staff). */
export function register(program: Command): void {
  const command = noun(program, 'comms')
    .command('status')
    .argument('<id>', 'the communication id, msg_…')
    .description('Show the status of one communication: provider id, timestamps, segments')
    .option('--json', 'print the answer exactly as the API returns it');
  const run = staffCommand(command);
  command.action((id: string, options: StaffOptions) =>
    run(options, async (client, out) => {
      const body = await client.comms.get(id);
      out.data(body, () => renderCommunication(out, body.communication));
    }),
  );
}
