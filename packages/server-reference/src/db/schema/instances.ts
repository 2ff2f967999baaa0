import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Running app instances sharing this database, so that each can tell whether the owner of a
 * lease or of an in-progress idempotency key is still alive. Times come from the database's
 * own `now()`, not the injected clock: liveness is about real elapsed time on one shared
 * clock, whatever time tests simulate for business rules and whatever the hosts' skew.
 */
export const instances = pgTable('instances', {
  id: text('id').primaryKey(),
  startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull(),
  /** Renewed every heartbeat interval; an instance silent for several intervals is dead. */
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true, mode: 'date' }).notNull(),
});
