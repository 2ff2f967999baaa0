import { bigint, date, pgTable, primaryKey, smallint, text } from 'drizzle-orm/pg-core';

/**
 * Exact counts kept as the data changes, so a figure such as "contacts" costs the same whatever
 * the size of the table it counts. Each counter is split over shards (rows summed when read):
 * concurrent writers add to the row of their connection's shard, so they never all queue on one
 * hot row. Database triggers (statement-level, over transition tables) keep them, in the same
 * transaction as the change they count; see the migration that creates `counters_track()`.
 */
export const counters = pgTable(
  'counters',
  {
    /** What is counted, e.g. `contacts`, `messages.failed`, `alerts.active.critical`. */
    name: text('name').notNull(),
    shard: smallint('shard').notNull(),
    value: bigint('value', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.shard] })],
);

/**
 * The same counts by UTC day of the counted records' own date (e.g. a contact's creation), for
 * figures over recent days ("new this week"): a record removed later is taken off its own day.
 */
export const counterDays = pgTable(
  'counter_days',
  {
    name: text('name').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    shard: smallint('shard').notNull(),
    value: bigint('value', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.day, t.shard] })],
);
