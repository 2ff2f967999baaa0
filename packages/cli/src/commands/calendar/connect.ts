import type { CalendarProvider } from '@careos/contract';
import type { Command } from 'commander';
import { noun } from '../../lib/nouns.js';
import { oneOf } from '../../lib/option-parsers.js';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';

/** `careos calendar connect <provider>`: prints the consent URL to open in a browser (staff). */
export function register(program: Command): void {
  const command = noun(program, 'calendar')
    .command('connect')
    .argument('<provider>', 'google, microsoft or sandbox', oneOf(['google', 'microsoft', 'sandbox'] as const))
    .description('Start connecting your Google, Microsoft or sandbox calendar: prints the consent URL (valid 10 minutes, once)')
    .option('--json', 'print the answer exactly as the API returns it');
  const run = staffCommand(command);
  command.action((provider: CalendarProvider, options: StaffOptions) =>
    run(options, async (client, out) => {
      const connect = { google: () => client.calendar.connectGoogle(), microsoft: () => client.calendar.connectMicrosoft(), sandbox: () => client.calendar.connectSandbox() };
      const body = await connect[provider]();
      out.data(body, () => body.authUrl);
      out.note('Open the URL in a browser signed in to the calendar account; the provider returns you to CareOS. Then: careos calendar list');
    }),
  );
}
