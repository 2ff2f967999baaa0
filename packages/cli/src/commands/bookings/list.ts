import type { Command } from 'commander';
import { pageOptions, pageQuery, staffCommand, type StaffOptions } from '../../lib/staff-command.js';
import { bookingTable, instant } from '../../lib/booking-output.js';
import { noun } from '../../lib/nouns.js';
import { oneOf } from '../../lib/option-parsers.js';

const STATUSES = ['scheduled', 'cancelled', 'completed', 'no_show'] as const;

interface Options extends StaffOptions {
  from?: string;
  to?: string;
  staff?: string;
  contact?: string;
  status?: (typeof STATUSES)[number];
}

/** `careos bookings list`: one page of bookings in start order, filtered (staff). */
export function register(program: Command): void {
  const command = noun(program, 'bookings')
    .command('list')
    .description('List bookings in start order; filter by time range, staff member, contact and status')
    .option('--from <time>', 'only bookings ending after this ISO 8601 time', instant)
    .option('--to <time>', 'only bookings starting before this ISO 8601 time', instant)
    .option('--staff <id>', 'only this staff member’s bookings (staff_…)')
    .option('--contact <id>', 'only this contact’s bookings (user_…)')
    .option('--status <status>', STATUSES.join(', '), oneOf(STATUSES))
    .option('--json', 'print the page exactly as the API returns it');
  const run = staffCommand(pageOptions(command));
  command.action((options: Options) =>
    run(options, async (client, out) => {
      const page = await client.bookings.list({
        ...(options.from ? { from: options.from } : {}),
        ...(options.to ? { to: options.to } : {}),
        ...(options.staff ? { staff_id: options.staff } : {}),
        ...(options.contact ? { contact_id: options.contact } : {}),
        ...(options.status ? { status: options.status } : {}),
        ...pageQuery(options),
      });
      const body = page.body as { bookings: typeof page.data; next_cursor: string | null };
      out.data(body, () => bookingTable(out, body));
    }),
  );
}
