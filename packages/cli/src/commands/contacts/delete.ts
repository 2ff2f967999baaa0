import type { Command } from 'commander';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';
import { noun } from '../../lib/nouns.js';

/** `careos contacts delete <id>`: erase a contact's details (admin only). */
export function register(program: Command): void {
  const command = noun(program, 'contacts')
    .command('delete')
    .argument('<contact-id>', 'the contact id (user_…)')
    .description('Delete a contact (admin): its details are erased; its leads and messages keep the id')
    .option('--json', 'print the answer exactly as the API returns it');
  const run = staffCommand(command);
  command.action((id: string, options: StaffOptions) =>
    run(options, async (client, out) => {
      const body = await client.contacts.delete(id);
      out.data(body, () => `Deleted ${body.id}`);
    }),
  );
}
