import type { Command } from 'commander';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';
import { renderMessage } from '../../lib/message-output.js';
import { messageText } from '../../lib/message-text.js';
import { noun } from '../../lib/nouns.js';

/** `careos messages record <contact-id>`: record a message the contact sent; nothing is sent (staff). */
export function register(program: Command): void {
  const command = noun(program, 'messages')
    .command('record')
    .argument('<contact-id>', 'the contact id (user_…)')
    .description('Record a message the contact sent (inbound); nothing is sent and automation is untouched')
    .option('--body <text>', 'the text; - reads it from stdin')
    .option('--json', 'print the answer exactly as the API returns it');
  const run = staffCommand(command);
  command.action((contactId: string, options: StaffOptions & { body?: string }) =>
    run(options, async (client, out) => {
      const body = await client.messages.create({ contact_id: contactId, direction: 'inbound', body: await messageText(options.body) });
      out.data(body, () => renderMessage(out, body.message));
    }),
  );
}
