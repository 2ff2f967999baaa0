import type { CalendarProvider } from '@careos/contract';
import type { Command } from 'commander';
import { instant } from '../../lib/booking-output.js';
import { noun } from '../../lib/nouns.js';
import { collect, oneOf } from '../../lib/option-parsers.js';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';

interface Options extends StaffOptions {
  provider: CalendarProvider;
  title: string;
  start: string;
  end: string;
  timeZone: string;
  description?: string;
  location?: string;
  attendee?: string[];
  client?: string;
  free?: boolean;
}

/** `careos calendar create-event`: an event on one of your connected calendars, optionally linked to a contact (staff). */
export function register(program: Command): void {
  const command = noun(program, 'calendar')
    .command('create-event')
    .description('Create an event on one of your connected calendars (it blocks bookings of that time unless --free)')
    .requiredOption('--provider <provider>', 'google or microsoft', oneOf(['google', 'microsoft'] as const))
    .requiredOption('--title <text>', 'what the calendar shows')
    .requiredOption('--start <time>', 'start, ISO 8601 with Z or an offset', instant)
    .requiredOption('--end <time>', 'end, ISO 8601 with Z or an offset', instant)
    .requiredOption('--time-zone <zone>', 'IANA zone to write the event in, e.g. America/New_York')
    .option('--description <text>', 'the event description')
    .option('--location <text>', 'where it takes place')
    .option('--attendee <email>', 'invite someone (repeat for several); the provider emails them', collect)
    .option('--client <id>', 'link the event to a contact (user_…)')
    .option('--free', 'show the time as free (it then blocks no booking)')
    .option('--json', 'print the answer exactly as the API returns it');
  const run = staffCommand(command);
  command.action((options: Options) =>
    run(options, async (client, out) => {
      const body = await client.calendar.events.create({
        provider: options.provider,
        title: options.title,
        start: options.start,
        end: options.end,
        time_zone: options.timeZone,
        ...(options.description ? { description: options.description } : {}),
        ...(options.location ? { location: options.location } : {}),
        ...(options.attendee ? { attendees: options.attendee.map((email) => ({ email })) } : {}),
        ...(options.client ? { client_id: options.client } : {}),
        ...(options.free ? { busy: false } : {}),
      });
      out.data(body, () => `Created on ${body.event.providers[0]!.provider}: ${body.event.start} → ${body.event.end} (${body.event.time_zone})  ${body.event.id}`);
    }),
  );
}
