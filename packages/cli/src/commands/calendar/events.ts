import type { Command } from 'commander';
import { instant } from '../../lib/booking-output.js';
import { noun } from '../../lib/nouns.js';
import { table } from '../../lib/output.js';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';

const DAY_MS = 86_400_000;

interface Options extends StaffOptions {
  from?: string;
  to?: string;
  sync?: boolean;
}

/** `careos calendar events`: your events across your connected calendars in a window (staff). */
export function register(program: Command): void {
  const command = noun(program, 'calendar')
    .command('events')
    .description('List your events across your connected calendars (recurring series expanded; default: the next 7 days)')
    .option('--from <time>', 'start of the window, ISO 8601 (default: now)', instant)
    .option('--to <time>', 'end of the window, ISO 8601, at most 62 days after --from (default: --from + 7 days)', instant)
    .option('--sync', 'bring each calendar up to date first instead of reading the last background sync')
    .option('--json', 'print the answer exactly as the API returns it');
  const run = staffCommand(command);
  command.action((options: Options) =>
    run(options, async (client, out) => {
      const from = options.from ?? new Date().toISOString();
      const to = options.to ?? new Date(Date.parse(from) + 7 * DAY_MS).toISOString();
      const body = await client.calendar.events.list({ from, to, ...(options.sync ? { sync: 'true' as const } : {}) });
      out.data(body, () => {
        if (body.calendars.length === 0) return 'No calendar connected. Connect one: careos calendar connect google|microsoft';
        if (body.events.length === 0) return `No events between ${body.from} and ${body.to}.`;
        return table(
          out.color,
          ['Start', 'End', 'Title', 'Busy', 'Calendars'],
          body.events.map((e) => [e.all_day ? `${e.start.slice(0, 10)} (all day)` : e.start, e.end, e.title ?? '(no title)', e.busy ? 'busy' : 'free', e.providers.map((p) => p.provider).join(' + ')]),
        );
      });
      const stale = body.calendars.filter((c) => c.status === 'needs_reauth' || c.last_error);
      for (const c of stale) out.note(`${c.provider}: ${c.status === 'needs_reauth' ? 'connect it again (careos calendar connect ' + c.provider + ')' : `last sync failed (${c.last_error})`}`);
    }),
  );
}
