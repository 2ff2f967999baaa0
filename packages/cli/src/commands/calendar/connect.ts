import type { CalendarProvider } from '@careos/contract';
import type { CareOS } from '@careos/sdk';
import type { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError, ExitCode } from '../../lib/exit-codes.js';
import { noun } from '../../lib/nouns.js';
import { integerBetween, oneOf } from '../../lib/option-parsers.js';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';

/** How often `--wait` asks the API whether the consent came back. */
const POLL_MS = 1_000;
/** The consent URL's state lives 10 minutes: waiting longer cannot succeed. */
const MAX_WAIT_SECONDS = 600;

interface ConnectOptions extends StaffOptions {
  wait?: boolean;
  timeout?: number;
}

/**
 * `careos calendar connect <provider>`: prints the consent URL to open in a browser, then (on a
 * terminal, or with `--wait`) waits until the provider has sent the browser back to CareOS and
 * the calendar shows as connected (staff).
 */
export function register(program: Command): void {
  const command = noun(program, 'calendar')
    .command('connect')
    .argument('<provider>', 'google, microsoft or sandbox', oneOf(['google', 'microsoft', 'sandbox'] as const))
    .description('Connect your Google, Microsoft or sandbox calendar: prints the consent URL (valid 10 minutes, once) and waits for the consent')
    .option('--wait', 'wait for the consent even when the output is not a terminal (the default on a terminal)')
    .option('--no-wait', 'print the URL and return at once')
    .option('--timeout <seconds>', `how long to wait, 1-${MAX_WAIT_SECONDS} (default ${MAX_WAIT_SECONDS})`, integerBetween(1, MAX_WAIT_SECONDS))
    .option('--json', 'print the answer exactly as the API returns it');
  const run = staffCommand(command);
  command.action((provider: CalendarProvider, options: ConnectOptions) =>
    run(options, async (client, out) => {
      const before = await connectedAt(client, provider);
      const connect = { google: () => client.calendar.connectGoogle(), microsoft: () => client.calendar.connectMicrosoft(), sandbox: () => client.calendar.connectSandbox() };
      const body = await connect[provider]();
      out.data(body, () => body.authUrl);
      // Commander sets `wait` only when a flag was given: undefined means "decide by the terminal".
      const wait = options.wait ?? (Boolean(process.stdout.isTTY) && !options.json);
      if (!wait) {
        out.note('Open the URL in a browser signed in to the calendar account; the provider returns you to CareOS. Then: careos calendar list');
        return;
      }
      out.note('Open the URL in a browser signed in to the calendar account. Waiting for the consent (Ctrl-C to stop)…');
      const deadline = Date.now() + (options.timeout ?? MAX_WAIT_SECONDS) * 1000;
      while (Date.now() < deadline) {
        await sleep(POLL_MS);
        const now = await connectedAt(client, provider);
        if (now && now !== before) {
          out.note(`Connected: your ${provider} calendar (careos calendar events shows its events)`);
          return;
        }
      }
      throw new CliError(`No consent came back within ${options.timeout ?? MAX_WAIT_SECONDS} s`, ExitCode.FAILURE, 'run the command again for a new URL');
    }),
  );
}

/** When `provider` was last connected (a new consent changes it), or null when it is not connected. */
async function connectedAt(client: CareOS, provider: CalendarProvider): Promise<string | null> {
  const { integrations } = await client.calendar.integrations();
  const found = integrations.find((i) => i.provider === provider && i.status === 'connected');
  return found ? found.connected_at : null;
}
