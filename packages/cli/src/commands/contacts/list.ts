import type { Command } from 'commander';
import { pageOptions, pageQuery, staffCommand, type StaffOptions } from '../../lib/staff-command.js';
import { noun } from '../../lib/nouns.js';
import { table } from '../../lib/output.js';

interface Options extends StaffOptions {
  name?: string;
  contactEmail?: string;
  phone?: string;
  source?: string;
}

/** `careos contacts list`: one page of contacts, newest first, searched and filtered (staff). */
export function register(program: Command): void {
  const command = noun(program, 'contacts')
    .command('list')
    .description('List contacts, newest first; search by name words, email or phone, filter by source')
    .option('--name <words>', 'contacts whose name has every one of these whole words')
    .option('--contact-email <email>', 'exact email address of the contact (--email is your sign-in)')
    .option('--phone <phone>', 'phone in any common format')
    .option('--source <source>', 'manual, or <platform>_referral for a partner’s leads')
    .option('--json', 'print the page exactly as the API returns it');
  const run = staffCommand(pageOptions(command));
  command.action((options: Options) =>
    run(options, async (client, out) => {
      const page = await client.contacts.list({
        ...(options.name ? { name: options.name } : {}),
        ...(options.contactEmail ? { email: options.contactEmail } : {}),
        ...(options.phone ? { phone: options.phone } : {}),
        ...(options.source ? { source: options.source } : {}),
        ...pageQuery(options),
      });
      const body = page.body as { contacts: typeof page.data; next_cursor: string | null };
      out.data(body, () => {
        if (body.contacts.length === 0) return out.color.dim('No contacts match.');
        const rows = body.contacts.map((c) => [c.id, c.name, c.phone, c.email, c.source, c.created_at.slice(0, 10)]);
        const lines = [table(out.color, ['ID', 'NAME', 'PHONE', 'EMAIL', 'SOURCE', 'CREATED'], rows)];
        if (body.next_cursor) lines.push(out.color.dim(`More: --cursor ${body.next_cursor}`));
        return lines.join('\n');
      });
    }),
  );
}
