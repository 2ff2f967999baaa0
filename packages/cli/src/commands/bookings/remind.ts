import type { Command } from 'commander';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';
import { noun } from '../../lib/nouns.js';

interface Options extends StaffOptions {
  form?: boolean;
}

/** `careos bookings remind <id>`: text the contact a reminder of the booking now, or with --form ask them to fill in their forms (staff). */
export function register(program: Command): void {
  const command = noun(program, 'bookings')
    .command('remind')
    .argument('<booking-id>', 'the booking id (bkg_…)')
    .description('Text the contact a reminder of the booking now (--form: ask them to fill in their forms)')
    .option('--form', 'send the form reminder instead')
    .option('--json', 'print the answer exactly as the API returns it');
  const run = staffCommand(command);
  command.action((id: string, options: Options) =>
    run(options, async (client, out) => {
      const body = options.form ? await client.bookings.sendFormReminder(id) : await client.bookings.sendReminder(id);
      out.data(body, () => `${options.form ? 'Form reminder' : 'Reminder'} SMS queued: ${body.message_id}`);
    }),
  );
}
