import type { Dashboard } from '@careos/contract';
import { sql } from 'drizzle-orm';
import type { ServiceContext } from './context.js';
import type { BusinessSettingsService } from './business-settings.js';
import { Counter, CounterReader } from './counters.js';

const SEVERITIES = ['critical', 'warning', 'info'] as const;
/** "This week": the current UTC day and the six before it. */
const WEEK_DAYS = 7;
/** "Upcoming" bookings: scheduled to start within this many days from now. */
const UPCOMING_DAYS = 7;

/**
 * `GET /dashboard`: business metrics read from the maintained counters (contacts, leads, active
 * alerts, messages and bookings by status) and, for low stock, from the partial index of the
 * items at or below their threshold — a catalogue of supplies stays small, so counting it stays
 * cheap. Today's and the coming week's bookings are a range of the start-time index, in the
 * business time zone: a day holds what the staff's hours hold, however many bookings there are.
 */
export class DashboardService {
  readonly #counters: CounterReader;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly business: BusinessSettingsService,
  ) {
    this.#counters = new CounterReader(ctx.db);
  }

  /** The figures, as of now. */
  async get(): Promise<Dashboard> {
    const now = this.ctx.clock.now();
    const alertNames = SEVERITIES.map(Counter.activeAlerts);
    const counted = [Counter.contacts, Counter.leads, Counter.messages('queued'), Counter.messages('failed'), Counter.bookings('completed'), Counter.bookings('no_show'), ...alertNames];
    const [totals, week, [lowStock], [bookings]] = await Promise.all([
      this.#counters.totals(counted),
      this.#counters.lastDays([Counter.contacts, Counter.leads], WEEK_DAYS, now),
      this.ctx.db.rows<{ n: number }>(sql`select count(*)::int as n from inventory_items where quantity <= low_stock_threshold`),
      this.#bookingsAhead(now, await this.business.timeZone()),
    ]);
    const completed = totals.get(Counter.bookings('completed'))!;
    const noShows = totals.get(Counter.bookings('no_show'))!;
    const [critical, warning, info] = alertNames.map((name) => totals.get(name)!) as [number, number, number];
    return {
      contacts: { total: totals.get(Counter.contacts)!, new_this_week: week.get(Counter.contacts)! },
      leads: { total: totals.get(Counter.leads)!, new_this_week: week.get(Counter.leads)! },
      bookings: {
        today: bookings?.today ?? 0,
        upcoming: bookings?.upcoming ?? 0,
        no_show_rate: completed + noShows === 0 ? null : Math.round((noShows / (completed + noShows)) * 1000) / 1000,
      },
      inventory: { low_stock: lowStock?.n ?? 0 },
      alerts: { active: critical + warning + info, by_severity: { critical, warning, info } },
      messages: { queued: totals.get(Counter.messages('queued'))!, failed: totals.get(Counter.messages('failed'))! },
      generated_at: now.toISOString(),
    };
  }

  /**
   * Bookings of the business's today (local midnight to midnight, whatever their status but
   * cancelled) and scheduled ones starting within {@link UPCOMING_DAYS} days: two ranges of
   * `bookings_starts_at_idx`.
   */
  #bookingsAhead(now: Date, timeZone: string) {
    const at = now.toISOString();
    return this.ctx.db.rows<{ today: number; upcoming: number }>(sql`
      with day as (
        select (date_trunc('day', ${at}::timestamptz at time zone ${timeZone}) at time zone ${timeZone}) as starts,
               ((date_trunc('day', ${at}::timestamptz at time zone ${timeZone}) + interval '1 day') at time zone ${timeZone}) as ends
      )
      select (select count(*)::int from bookings, day where starts_at >= day.starts and starts_at < day.ends and status <> 'cancelled') as today,
             (select count(*)::int from bookings where starts_at >= ${at}::timestamptz and starts_at < ${at}::timestamptz + ${`${UPCOMING_DAYS} days`}::interval
                and status = 'scheduled') as upcoming`);
  }
}
