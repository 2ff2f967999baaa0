import type { Command } from 'commander';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';
import { addMessageFilters, messageFilters, renderMessagePage, type MessageFilterOptions } from '../../lib/message-output.js';
import { noun } from '../../lib/nouns.js';

interface Options extends StaffOptions, MessageFilterOptions {
  contact?: string;
}

/** `careos messages list`: one page of messages across conversations, newest first (staff). */
export function register(program: Command): void {
  const command = addMessageFilters(
    noun(program, 'messages')
      .command('list')
      .description('List messages of every conversation, newest first; filter by contact, direction, status, kind')
      .option('--contact <contact-id>', 'only this contact’s messages'),
  ).option('--json', 'print the page exactly as the API returns it');
  const run = staffCommand(command);
  command.action((options: Options) =>
    run(options, async (client, out) => {
      const page = await client.messages.list({ ...messageFilters(options), ...(options.contact ? { contact_id: options.contact } : {}) });
      const body = page.body as { messages: typeof page.data; next_cursor: string | null };
      out.data(body, () => renderMessagePage(out, body));
    }),
  );
}
