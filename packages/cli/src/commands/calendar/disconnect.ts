import type { CalendarProvider } from '@careos/contract';
import type { Command } from 'commander';
import { noun } from '../../lib/nouns.js';
import { oneOf } from '../../lib/option-parsers.js';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';

/** `careos calendar disconnect <provider>`: revokes at the provider where it can and deletes the tokens (staff). */
export function register(program: Command): void {
  const command = noun(program, 'calendar')
    .command('disconnect')
    .argument('<provider>', 'google, microsoft or sandbox', oneOf(['google', 'microsoft', 'sandbox'] as const))
    .description('Disconnect one of your calendars (revoked at Google and the sandbox; Microsoft has no revocation endpoint, the tokens are deleted)')
    .option('--json', 'print the answer exactly as the API returns it');
  const run = staffCommand(command);
  command.action((provider: CalendarProvider, options: StaffOptions) =>
    run(options, async (client, out) => {
      const body = await client.calendar.disconnect(provider);
      out.data(body, () =>
        body.revoked_at_provider ? `Disconnected ${provider}: access revoked at the provider and tokens deleted.` : `Disconnected ${provider}: tokens deleted (not revoked at the provider).`,
      );
    }),
  );
}
