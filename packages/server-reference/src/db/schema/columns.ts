import { timestamp } from 'drizzle-orm/pg-core';

/**
 * A `timestamptz` read and written as `Date`. Values come from the injected clock rather than
 * `now()` in SQL, so tests that move time see consistent rows.
 */
export function ts(name: string) {
  return timestamp(name, { withTimezone: true, mode: 'date' });
}
