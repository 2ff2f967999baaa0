import type { Command } from 'commander';
import { renderContact } from '../../lib/contact-output.js';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';
import { noun } from '../../lib/nouns.js';

/** `careos contacts resume-automation <id>`: automated messages go to the contact again (admin). */
export function register(program: Command): void {
  const command = noun(program, 'contacts')
    .command('resume-automation')
    .argument('<contact-id>', 'the contact id (user_…)')
    .description('Resume automated messages a staff reply paused (admin); cancelled ones stay cancelled')
    .option('--json', 'print the answer exactly as the API returns it');
  const run = staffCommand(command);
  command.action((id: string, options: StaffOptions) =>
    run(options, async (client, out) => {
      const body = await client.contacts.resumeAutomation(id);
      out.data(body, () => `${renderContact(out, body.contact)}\n${out.color.dim(body.resumed ? 'Automation resumed.' : 'Automation was not paused.')}`);
    }),
  );
}
