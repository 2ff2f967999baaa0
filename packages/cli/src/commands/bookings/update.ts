import type { BookingUpdateParams } from '@careos/sdk';
import type { Command } from 'commander';
import { CliError, ExitCode } from '../../lib/exit-codes.js';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';
import { bookingDetail, instant } from '../../lib/booking-output.js';
import { noun } from '../../lib/nouns.js';
import { integerBetween, oneOf } from '../../lib/option-parsers.js';

const OUTCOMES = ['cancelled', 'completed', 'no_show'] as const;

interface Options extends StaffOptions {
  start?: string;
  end?: string;
  minutes?: number;
  staff?: string;
  service?: string;
  notes?: string;
  clearNotes?: boolean;
  status?: (typeof OUTCOMES)[number];
}

/** `careos bookings update <id>`: reschedule or change a booking, or close it with --status (staff). */
export function register(program: Command): void {
  const command = noun(program, 'bookings')
    .command('update')
    .argument('<booking-id>', 'the booking id (bkg_…)')
    .description('Reschedule or change a booking, or close it with --status (cancelled, completed, no_show)')
    .option('--start <time>', 'new start, ISO 8601 with Z or an offset (the length is kept)', instant)
    .option('--end <time>', 'new end', instant)
    .option('--minutes <n>', 'new length in minutes, 1-1440', integerBetween(1, 1440))
    .option('--staff <id>', 'move the booking to another staff member (staff_…)')
    .option('--service <text>', 'what the booking is for')
    .option('--notes <text>', 'notes for the care team')
    .option('--clear-notes', 'remove the notes')
    .option('--status <status>', `close the booking: ${OUTCOMES.join(', ')} (alone)`, oneOf(OUTCOMES))
    .option('--json', 'print the answer exactly as the API returns it');
  const run = staffCommand(command);
  command.action((id: string, options: Options) =>
    run(options, async (client, out) => {
      const changes: BookingUpdateParams = {
        ...(options.start ? { starts_at: options.start } : {}),
        ...(options.end ? { ends_at: options.end } : {}),
        ...(options.minutes ? { duration_minutes: options.minutes } : {}),
        ...(options.staff ? { staff_id: options.staff } : {}),
        ...(options.service ? { service: options.service } : {}),
        ...(options.notes ? { notes: options.notes } : options.clearNotes ? { notes: null } : {}),
        ...(options.status ? { status: options.status } : {}),
      };
      if (Object.keys(changes).length === 0) throw new CliError('Nothing to change: give at least one option (see --help)', ExitCode.USAGE);
      const body = await client.bookings.update(id, changes);
      out.data(body, () => bookingDetail(out, body.booking));
    }),
  );
}
