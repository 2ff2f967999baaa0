import type { Command } from 'commander';
import { renderCommsPage } from '../../lib/comms-output.js';
import { noun } from '../../lib/nouns.js';
import { oneOf } from '../../lib/option-parsers.js';
import { pageOptions, pageQuery, staffCommand, type StaffOptions } from '../../lib/staff-command.js';

/** `careos comms list <client-id>`: one page of a client's communications, newest first (staff). */
export function register(program: Command): void {
  const command = pageOptions(
    noun(program, 'comms')
      .command('list')
      .argument('<client-id>', 'the client (contact) id, user_…')
      .description('List a client’s SMS and email, newest first')
      .option('--type <type>', 'sms or email', oneOf(['sms', 'email'] as const)),
  ).option('--json', 'print the page exactly as the API returns it');
  const run = staffCommand(command);
  command.action((clientId: string, options: StaffOptions & { type?: 'sms' | 'email' }) =>
    run(options, async (client, out) => {
      const page = await client.comms.list({ client_id: clientId, ...(options.type ? { type: options.type } : {}), ...pageQuery(options) });
      const body = page.body as { communications: typeof page.data; next_cursor: string | null };
      out.data(body, () => renderCommsPage(out, body));
    }),
  );
}
