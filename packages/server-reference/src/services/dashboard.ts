import type { Dashboard } from '@careos/contract';
import { sql } from 'drizzle-orm';
import type { ServiceContext } from './context.js';
import { Counter, CounterReader } from './counters.js';

const SEVERITIES = ['critical', 'warning', 'info'] as const;
/** "This week": the current UTC day and the six before it. */
const WEEK_DAYS = 7;

/**
 * `GET /dashboard`: business metrics read from the maintained counters (contacts, leads, active
 * alerts, messages by status) and, for low stock, from the partial index of the items at or
 * below their threshold — a catalogue of supplies stays small, so counting it stays cheap.
 */
export class DashboardService {
  readonly #counters: CounterReader;

  constructor(private readonly ctx: ServiceContext) {
    this.#counters = new CounterReader(ctx.db);
  }

  /** The figures, as of now. */
  async get(): Promise<Dashboard> {
    const now = this.ctx.clock.now();
    const alertNames = SEVERITIES.map(Counter.activeAlerts);
    const [totals, week, [lowStock]] = await Promise.all([
      this.#counters.totals([Counter.contacts, Counter.leads, Counter.messages('queued'), Counter.messages('failed'), ...alertNames]),
      this.#counters.lastDays([Counter.contacts, Counter.leads], WEEK_DAYS, now),
      this.ctx.db.rows<{ n: number }>(sql`select count(*)::int as n from inventory_items where quantity <= low_stock_threshold`),
    ]);
    const [critical, warning, info] = alertNames.map((name) => totals.get(name)!) as [number, number, number];
    return {
      contacts: { total: totals.get(Counter.contacts)!, new_this_week: week.get(Counter.contacts)! },
      leads: { total: totals.get(Counter.leads)!, new_this_week: week.get(Counter.leads)! },
      inventory: { low_stock: lowStock?.n ?? 0 },
      alerts: { active: critical + warning + info, by_severity: { critical, warning, info } },
      messages: { queued: totals.get(Counter.messages('queued'))!, failed: totals.get(Counter.messages('failed'))! },
      generated_at: now.toISOString(),
    };
  }
}
