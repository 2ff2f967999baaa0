import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { renderBulkResults } from '../../lib/comms-output.js';
import { CliError, ExitCode } from '../../lib/exit-codes.js';
import { messageText } from '../../lib/message-text.js';
import { noun } from '../../lib/nouns.js';
import { oneOf } from '../../lib/option-parsers.js';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';
import { readStdin } from '../../lib/stdin.js';

interface Options extends StaffOptions {
  type: 'sms' | 'email';
  to?: string;
  file?: string;
  body?: string;
  subject?: string;
  template?: string;
  phi?: boolean;
  genericNotice?: boolean;
}

/**
 * Recipients from `--to a,b` or `--file` (`-` for stdin): one client id per line, or one JSON
 * object `{"client_id": …, "dynamic_data": {…}}` per line for a SendGrid template.
 */
export function parseRecipients(text: string): { client_id: string; dynamic_data?: Record<string, string | number | boolean | null> }[] {
  return text
    .split(/\r?\n/)
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line !== '' && !line.startsWith('#'))
    .map(({ line, n }) => {
      if (!line.startsWith('{')) return { client_id: line };
      try {
        const value = JSON.parse(line) as { client_id?: unknown; dynamic_data?: Record<string, string | number | boolean | null> };
        if (typeof value.client_id === 'string') return { client_id: value.client_id, ...(value.dynamic_data ? { dynamic_data: value.dynamic_data } : {}) };
      } catch {
        // reported below
      }
      throw new CliError(`Line ${n}: expected a client id or {"client_id": …}`, ExitCode.USAGE);
    });
}

/** `careos comms bulk`: one SMS or email to many clients, one result per recipient (staff). */
export function register(program: Command): void {
  const command = noun(program, 'comms')
    .command('bulk')
    .description('Send one SMS or email to many clients; prints who was not queued and why')
    .requiredOption('--type <type>', 'sms or email', oneOf(['sms', 'email'] as const))
    .option('--to <ids>', 'client ids, comma-separated')
    .option('--file <path>', 'client ids, one per line (or JSON lines with dynamic_data); - reads stdin')
    .option('--body <text>', 'the text')
    .option('--subject <text>', 'email subject')
    .option('--template <id>', 'a server template or a SendGrid template (d-…) instead of --body')
    .option('--phi', 'the message carries PHI: refused unless the provider has a BAA')
    .option('--generic-notice', 'without a BAA, send the generic secure-message notice instead of refusing')
    .option('--json', 'print the answer exactly as the API returns it');
  const run = staffCommand(command);
  command.action((options: Options) =>
    run(options, async (client, out) => {
      const text = options.file === '-' ? await readStdin() : options.file ? readFileSync(options.file, 'utf8') : (options.to ?? '').split(',').join('\n');
      const recipients = parseRecipients(text);
      if (recipients.length === 0) throw new CliError('Give the recipients with --to <ids> or --file <path>', ExitCode.USAGE);
      const body = await client.comms.sendBulk({
        type: options.type,
        recipients,
        ...(options.template ? { template_id: options.template } : { body: await messageText(options.body) }),
        ...(options.subject ? { subject: options.subject } : {}),
        ...(options.phi ? { contains_phi: true } : {}),
        ...(options.genericNotice ? { on_baa_missing: 'generic_notice' as const } : {}),
      });
      out.data(body, () => renderBulkResults(out, body));
    }),
  );
}
