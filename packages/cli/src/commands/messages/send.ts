import type { Command } from 'commander';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';
import { renderMessage } from '../../lib/message-output.js';
import { messageText } from '../../lib/message-text.js';
import { noun } from '../../lib/nouns.js';

/** `careos messages send <contact-id>`: a staff reply by SMS, which pauses the contact's automation (staff). */
export function register(program: Command): void {
  const command = noun(program, 'messages')
    .command('send')
    .argument('<contact-id>', 'the contact id (user_…)')
    .description('Reply to a contact by SMS; automated messages to them stop until an admin resumes them')
    .option('--body <text>', 'the text; - reads it from stdin (keeps it out of your shell history)')
    .option('--json', 'print the answer exactly as the API returns it');
  const run = staffCommand(command);
  command.action((contactId: string, options: StaffOptions & { body?: string }) =>
    run(options, async (client, out) => {
      const body = await client.messages.create({ contact_id: contactId, body: await messageText(options.body) });
      out.data(body, () => {
        const cancelled = body.cancelled_message_ids.length;
        const note = `Automation paused for this contact${cancelled ? `; ${cancelled} queued automated message(s) cancelled` : ''}. An admin resumes it: careos contacts resume-automation ${contactId}`;
        return `${renderMessage(out, body.message)}\n${out.color.dim(note)}`;
      });
    }),
  );
}
