import type { Command } from 'commander';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';
import { addMessageFilters, messageFilters, renderMessagePage, type MessageFilterOptions } from '../../lib/message-output.js';
import { noun } from '../../lib/nouns.js';

/** `careos messages get <contact-id>`: the conversation with one contact, newest first (staff). */
export function register(program: Command): void {
  const command = addMessageFilters(
    noun(program, 'messages').command('get').argument('<contact-id>', 'the contact id (user_…)').description('Show the conversation with a contact, newest first'),
  ).option('--json', 'print the page exactly as the API returns it');
  const run = staffCommand(command);
  command.action((contactId: string, options: StaffOptions & MessageFilterOptions) =>
    run(options, async (client, out) => {
      const page = await client.messages.conversation(contactId, messageFilters(options));
      const body = page.body as { messages: typeof page.data; next_cursor: string | null };
      out.data(body, () => renderMessagePage(out, body));
    }),
  );
}
