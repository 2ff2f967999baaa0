import type { Command } from 'commander';
import { noun } from '../../lib/nouns.js';
import { keyValues } from '../../lib/output.js';
import { staffCommand, type StaffOptions } from '../../lib/staff-command.js';

/** `careos dashboard`: the business metrics of `GET /dashboard` (staff or admin). */
export function register(program: Command): void {
  const command = noun(program, 'dashboard').option('--json', 'print the figures as the API returns them');
  const run = staffCommand(command);
  command.action((options: StaffOptions) =>
    run(options, async (client, out) => {
      const d = await client.dashboard.get();
      const { critical, warning, info } = d.alerts.by_severity;
      out.data(d, () =>
        keyValues(out.color, [
          ['Contacts', `${d.contacts.total} (${d.contacts.new_this_week} new in 7 days)`],
          ['Leads', `${d.leads.total} (${d.leads.new_this_week} new in 7 days)`],
          ['Bookings', `${d.bookings.today} today, ${d.bookings.upcoming} in the next 7 days; no-show rate ${d.bookings.no_show_rate === null ? '–' : `${(d.bookings.no_show_rate * 100).toFixed(1)}%`}`],
          ['Low stock', `${d.inventory.low_stock} item${d.inventory.low_stock === 1 ? '' : 's'}`],
          ['Active alerts', `${d.alerts.active} (critical ${critical}, warning ${warning}, info ${info})`],
          ['Messages', `${d.messages.queued} queued, ${d.messages.failed} failed`],
          ['As of', d.generated_at],
        ]),
      );
    }),
  );
}
