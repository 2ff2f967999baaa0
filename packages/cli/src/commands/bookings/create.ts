import type { Command } from 'commander';
import { CliError, ExitCode } from '../../lib/exit-codes.js';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';
import { bookingDetail, instant } from '../../lib/booking-output.js';
import { noun } from '../../lib/nouns.js';
import { integerBetween } from '../../lib/option-parsers.js';

interface Options extends StaffOptions {
  contact: string;
  staff: string;
  service: string;
  start: string;
  end?: string;
  minutes?: number;
  notes?: string;
}

/** `careos bookings create`: book a contact with a staff member; the contact is sent the confirmation SMS (staff). */
export function register(program: Command): void {
  const command = noun(program, 'bookings')
    .command('create')
    .description('Book a contact with a staff member (--end or --minutes); a contact with a phone is sent the confirmation SMS')
    .requiredOption('--contact <id>', 'the contact (user_…)')
    .requiredOption('--staff <id>', 'the staff member (staff_…)')
    .requiredOption('--service <text>', 'what the booking is for')
    .requiredOption('--start <time>', 'start, ISO 8601 with Z or an offset', instant)
    .option('--end <time>', 'end, ISO 8601 with Z or an offset', instant)
    .option('--minutes <n>', 'length in minutes, 1-1440', integerBetween(1, 1440))
    .option('--notes <text>', 'notes for the care team')
    .option('--json', 'print the answer exactly as the API returns it');
  const run = staffCommand(command);
  command.action((options: Options) =>
    run(options, async (client, out) => {
      if ((options.end === undefined) === (options.minutes === undefined)) throw new CliError('Give --end or --minutes (one of them)', ExitCode.USAGE);
      const body = await client.bookings.create({
        contact_id: options.contact,
        staff_id: options.staff,
        service: options.service,
        starts_at: options.start,
        ...(options.end ? { ends_at: options.end } : { duration_minutes: options.minutes! }),
        ...(options.notes ? { notes: options.notes } : {}),
      });
      out.data(body, () => {
        const sent = body.booking.confirmation_message_id ? `Confirmation SMS queued: ${body.booking.confirmation_message_id}` : 'No confirmation SMS (no phone, or already started)';
        return `${bookingDetail(out, body.booking)}\n${out.color.dim(sent)}`;
      });
    }),
  );
}
