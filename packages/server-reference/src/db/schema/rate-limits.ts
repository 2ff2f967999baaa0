import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/**
 * Rate-limit counters kept in the database: the store every instance shares while Redis is
 * unreachable (see `src/http/database-rate-limiter.ts`). One row per limiter key and window.
 * The table is UNLOGGED (migration `rate_limit_counters_unlogged`): counts need no crash safety,
 * and skipping the write-ahead log makes each count several times cheaper.
 */
export const rateLimitCounters = pgTable(
  'rate_limit_counters',
  {
    /** The limiter key, as in Redis: `<prefix>:<bucket>:<credential or hash>`. */
    key: text('key').primaryKey(),
    /** The highest count any instance last saw in Redis for this window, carried over when Redis went away. */
    carried: integer('carried').notNull().default(0),
    /** What was counted here, on top of `carried`. */
    points: integer('points').notNull().default(0),
    /** End of the window (or of a block). */
    expire: ts('expire').notNull(),
  },
  (t) => [index('rate_limit_counters_expire_idx').on(t.expire)],
);
