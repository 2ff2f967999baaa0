import type { Command } from 'commander';
import { renderCommunication } from '../../lib/comms-output.js';
import { CliError, ExitCode } from '../../lib/exit-codes.js';
import { messageText } from '../../lib/message-text.js';
import { noun } from '../../lib/nouns.js';
import { oneOf } from '../../lib/option-parsers.js';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';

interface Options extends StaffOptions {
  type: 'sms' | 'email';
  body?: string;
  subject?: string;
  template?: string;
  data?: string;
  phi?: boolean;
  genericNotice?: boolean;
}

/** Template data given as a JSON object on the command line. */
export function templateData(raw: string | undefined): Record<string, string | number | boolean | null> | undefined {
  if (raw === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, string | number | boolean | null>;
  } catch {
    // reported below
  }
  throw new CliError('--data must be a JSON object, e.g. \'{"first_name":"Ada"}\'', ExitCode.USAGE);
}

/** `careos comms send <client-id>`: one SMS or email to a client (staff). */
export function register(program: Command): void {
  const command = noun(program, 'comms')
    .command('send')
    .argument('<client-id>', 'the client (contact) id, user_…')
    .description('Send an SMS or email to a client; prints its id, status and (SMS) segments')
    .requiredOption('--type <type>', 'sms or email', oneOf(['sms', 'email'] as const))
    .option('--body <text>', 'the text; - reads it from stdin (keeps it out of your shell history)')
    .option('--subject <text>', 'email subject')
    .option('--template <id>', 'a server template (call_us, booking_reminder) or a SendGrid template (d-…) instead of --body')
    .option('--data <json>', 'template data as a JSON object')
    .option('--phi', 'the message carries PHI: refused unless the provider has a BAA')
    .option('--generic-notice', 'without a BAA, send the generic secure-message notice instead of refusing')
    .option('--json', 'print the answer exactly as the API returns it');
  const run = staffCommand(command);
  command.action((clientId: string, options: Options) =>
    run(options, async (client, out) => {
      const content = options.template ? { template_id: options.template, ...(options.data ? { dynamic_data: templateData(options.data) } : {}) } : { body: await messageText(options.body) };
      const body = await client.comms.send({
        client_id: clientId,
        type: options.type,
        ...(options.subject ? { subject: options.subject } : {}),
        ...content,
        ...(options.phi ? { contains_phi: true } : {}),
        ...(options.genericNotice ? { on_baa_missing: 'generic_notice' as const } : {}),
      });
      out.data(body, () => renderCommunication(out, body.communication));
    }),
  );
}
