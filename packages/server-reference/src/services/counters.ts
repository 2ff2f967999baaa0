import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { textArray } from '../db/sql-arrays.js';

/**
 * Names of the counters the database keeps (`counters_track()` triggers, migration
 * `0014_dashboard_counters`). A counter is the sum of its shards; its by-day counts are in
 * `counter_days`.
 */
export const Counter = {
  /** Users not deleted: the contacts. By day of creation. */
  contacts: 'contacts',
  /** Partner leads. By day of arrival. */
  leads: 'leads',
  /** Messages in a status (`queued`, `sent`, `failed`, …). */
  messages: (status: string) => `messages.${status}`,
  /** Bookings in a status (`scheduled`, `completed`, `no_show`, `cancelled`). */
  bookings: (status: string) => `bookings.${status}`,
  /** Alerts not dismissed, of one severity. */
  activeAlerts: (severity: string) => `alerts.active.${severity}`,
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC day of `at`, as `YYYY-MM-DD` (the counters' day buckets are UTC days). */
function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Reads the maintained counters. Each read is an index probe per counter and shard (and per
 * day for {@link CounterReader.lastDays}), so its cost does not grow with the data counted.
 */
export class CounterReader {
  constructor(private readonly db: Database) {}

  /** The current value of each named counter (0 for one never written). */
  async totals(names: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.db.rows<{ name: string; value: string | number }>(
      sql`select name, sum(value) as value from counters where name = any(${textArray(names)}::text[]) group by name`,
    );
    return this.#toMap(names, rows);
  }

  /** Each named counter over the `days` UTC days ending with the day of `now` (included). */
  async lastDays(names: readonly string[], days: number, now: Date): Promise<Map<string, number>> {
    const from = utcDay(new Date(now.getTime() - (days - 1) * DAY_MS));
    const rows = await this.db.rows<{ name: string; value: string | number }>(sql`
      select name, sum(value) as value from counter_days
       where name = any(${textArray(names)}::text[]) and day between ${from}::date and ${utcDay(now)}::date
       group by name`);
    return this.#toMap(names, rows);
  }

  #toMap(names: readonly string[], rows: { name: string; value: string | number }[]): Map<string, number> {
    const values = new Map(names.map((name) => [name, 0]));
    for (const row of rows) values.set(row.name, Number(row.value));
    return values;
  }
}
