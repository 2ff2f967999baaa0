import type { Command } from 'commander';
import { renderContact } from '../../lib/contact-output.js';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';
import { noun } from '../../lib/nouns.js';

/** `careos contacts get <id>`: one contact (staff). */
export function register(program: Command): void {
  const command = noun(program, 'contacts')
    .command('get')
    .argument('<contact-id>', 'the contact id (user_…)')
    .description('Show a contact')
    .option('--json', 'print the answer exactly as the API returns it');
  const run = staffCommand(command);
  command.action((id: string, options: StaffOptions) =>
    run(options, async (client, out) => {
      const body = await client.contacts.retrieve(id);
      out.data(body, () => renderContact(out, body.contact));
    }),
  );
}
