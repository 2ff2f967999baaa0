import type { Command } from 'commander';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';
import { bookingDetail } from '../../lib/booking-output.js';
import { noun } from '../../lib/nouns.js';

/** `careos bookings get <id>`: one booking (staff). */
export function register(program: Command): void {
  const command = noun(program, 'bookings')
    .command('get')
    .argument('<booking-id>', 'the booking id (bkg_…)')
    .description('Show a booking')
    .option('--json', 'print the answer exactly as the API returns it');
  const run = staffCommand(command);
  command.action((id: string, options: StaffOptions) =>
    run(options, async (client, out) => {
      const body = await client.bookings.retrieve(id);
      out.data(body, () => bookingDetail(out, body.booking));
    }),
  );
}
