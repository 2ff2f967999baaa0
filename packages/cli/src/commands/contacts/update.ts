import type { ContactUpdateParams } from '@careos/sdk';
import { InvalidArgumentError, type Command } from 'commander';
import { CliError, ExitCode } from '../../lib/exit-codes.js';
import { renderContact } from '../../lib/contact-output.js';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';
import { noun } from '../../lib/nouns.js';

interface Options extends StaffOptions {
  name?: string;
  phone?: string;
  contactEmail?: string;
  notes?: string;
  language?: string;
  clear?: string[];
  pauseAutomation?: boolean;
}

const CLEARABLE = ['phone', 'email', 'notes'] as const;

function clearField(value: string, previous: string[] = []): string[] {
  if (!(CLEARABLE as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${CLEARABLE.join(', ')}`);
  return [...previous, value];
}

/** `careos contacts update <id>`: change a contact's fields (staff). */
export function register(program: Command): void {
  const command = noun(program, 'contacts')
    .command('update')
    .argument('<contact-id>', 'the contact id (user_…)')
    .description('Change a contact: name, phone, email, notes, language, automation pause')
    .option('--name <name>', 'full name')
    .option('--phone <phone>', 'phone in any common format')
    .option('--contact-email <email>', 'the contact’s email address (--email is your sign-in)')
    .option('--notes <text>', 'notes for the care team')
    .option('--language <tag>', 'language tag, e.g. en or es-MX')
    .option('--clear <field>', `remove a field (${CLEARABLE.join(', ')}); repeatable`, clearField)
    .option('--pause-automation', 'hold back automated messages to this contact (an admin resumes them: careos contacts resume-automation)')
    .option('--json', 'print the answer exactly as the API returns it');
  const run = staffCommand(command);
  command.action((id: string, options: Options) =>
    run(options, async (client, out) => {
      const changes: ContactUpdateParams = {
        ...(options.name ? { name: options.name } : {}),
        ...(options.phone ? { phone: options.phone } : {}),
        ...(options.contactEmail ? { email: options.contactEmail } : {}),
        ...(options.notes ? { notes: options.notes } : {}),
        ...(options.language ? { language: options.language } : {}),
        ...Object.fromEntries((options.clear ?? []).map((field) => [field, null])),
        ...(options.pauseAutomation ? { automation_paused: true as const } : {}),
      };
      if (Object.keys(changes).length === 0) throw new CliError('Nothing to change: give at least one option (see --help)', ExitCode.USAGE);
      const body = await client.contacts.update(id, changes);
      out.data(body, () => renderContact(out, body.contact));
    }),
  );
}
