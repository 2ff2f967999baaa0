import type { Command } from 'commander';
import { renderContact } from '../../lib/contact-output.js';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';
import { noun } from '../../lib/nouns.js';

interface Options extends StaffOptions {
  name: string;
  phone?: string;
  contactEmail?: string;
  notes?: string;
  language?: string;
}

/** `careos contacts create`: add a contact; one with a phone is sent the welcome SMS (staff). */
export function register(program: Command): void {
  const command = noun(program, 'contacts')
    .command('create')
    .description('Add a contact (a name and a phone or an email); a contact with a phone is sent the welcome SMS')
    .requiredOption('--name <name>', 'full name')
    .option('--phone <phone>', 'phone in any common format (national numbers use the server’s default country)')
    .option('--contact-email <email>', 'the contact’s email address (--email is your sign-in)')
    .option('--notes <text>', 'notes for the care team')
    .option('--language <tag>', 'language of the welcome SMS, e.g. en or es-MX (default en)')
    .option('--json', 'print the answer exactly as the API returns it');
  const run = staffCommand(command);
  command.action((options: Options) =>
    run(options, async (client, out) => {
      const created = await client.contacts.create({
        name: options.name,
        ...(options.phone ? { phone: options.phone } : {}),
        ...(options.contactEmail ? { email: options.contactEmail } : {}),
        ...(options.notes ? { notes: options.notes } : {}),
        ...(options.language ? { language: options.language } : {}),
      });
      out.data(created, () => {
        const sent = created.welcome_message_id ? `Welcome SMS queued: ${created.welcome_message_id}` : 'No phone: no welcome SMS';
        return `${renderContact(out, created.contact)}\n${out.color.dim(sent)}`;
      });
    }),
  );
}
