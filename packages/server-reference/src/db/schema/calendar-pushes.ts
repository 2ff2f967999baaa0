import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { bookings } from './bookings.js';
import { calendarIntegrations } from './calendar.js';
import { ts } from './columns.js';

/**
 * The durable work of keeping a booking's event on a staff member's calendar: one row per
 * (booking, integration), written in the booking's own transaction and carried out by the
 * calendar push worker after it commits, so no booking waits on Google or Microsoft. The row
 * holds the state wanted (`upsert`: the event shows the booking as it now is; `delete`: no
 * event), not a log of changes: a reschedule while a push is pending only bumps `version`, and
 * the worker writes the booking as it reads it then. A push finished while the booking changed
 * again (its `version` moved) stays pending and runs once more.
 */
export const calendarBookingPushes = pgTable(
  'calendar_booking_pushes',
  {
    id: text('id').primaryKey(),
    bookingId: text('booking_id')
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    integrationId: text('integration_id')
      .notNull()
      .references(() => calendarIntegrations.id, { onDelete: 'cascade' }),
    /** `upsert` or `delete`. */
    action: text('action').notNull(),
    /** Bumped by every booking change that concerns the calendar. */
    version: integer('version').notNull(),
    /** `pending`, `done`, or `failed` (retries spent, or the calendar needs a new consent). */
    status: text('status').notNull(),
    /** Attempts in the current series (reset by each booking change). */
    attempts: integer('attempts').notNull(),
    /** When the series' first attempt was due: retries stop a day after it (the webhook retry window). */
    seriesStartedAt: ts('series_started_at').notNull(),
    nextAttemptAt: ts('next_attempt_at').notNull(),
    /** Held by the worker instance pushing it; another claims it only once this has passed (it died). */
    claimedUntil: ts('claimed_until'),
    /** A short code of the last failure (`NEEDS_REAUTH`, `PROVIDER_UNAVAILABLE`, `http_403`…), never the provider's message. */
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('calendar_booking_pushes_booking_integration_key').on(t.bookingId, t.integrationId),
    index('calendar_booking_pushes_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    check('calendar_booking_pushes_action_known', sql`${t.action} in ('upsert', 'delete')`),
    check('calendar_booking_pushes_status_known', sql`${t.status} in ('pending', 'done', 'failed')`),
  ],
);
