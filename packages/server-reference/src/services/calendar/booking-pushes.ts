import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.js';
import { calendarBookingPushes, calendarIntegrations, clientCalendarEvents } from '../../db/schema/index.js';
import { newId } from '../../domain/ids.js';

/** What a booking change asks of the staff member's calendars. */
export interface BookingCalendarState {
  id: string;
  staffId: string;
  /** A `cancelled` booking has no event; any other keeps (or gets) one. */
  status: string;
}

/**
 * Bookings' side of the calendar pushes: inside the booking's own transaction, records what
 * each calendar should show, as rows of `calendar_booking_pushes` the push worker carries out
 * once the transaction has committed (so a booking never waits on a provider, and a booking
 * that rolls back leaves no work behind). The calendars concerned are every calendar the staff
 * member has connected, plus any that still shows the booking (its staff member changed, or it
 * was disconnected and reconnected); those that should no longer show it get a `delete`.
 */
export class BookingCalendarPushes {
  readonly #listeners = new Set<() => void>();

  /**
   * Records the pushes one booking change needs; returns how many. Call {@link notify} after
   * the transaction commits.
   */
  async schedule(on: Executor, booking: BookingCalendarState, now: Date): Promise<number> {
    // One round trip: the calendars that should show the booking (none once cancelled), and
    // those that show it or are about to (to be told to delete it if no longer wanted).
    const known = await on
      .select({ wanted: sql<boolean>`true`, id: calendarIntegrations.id })
      .from(calendarIntegrations)
      .where(and(eq(calendarIntegrations.staffId, booking.staffId), booking.status === 'cancelled' ? sql`false` : undefined))
      .unionAll(on.select({ wanted: sql<boolean>`false`, id: clientCalendarEvents.integrationId }).from(clientCalendarEvents).where(eq(clientCalendarEvents.bookingId, booking.id)))
      .unionAll(
        on
          .select({ wanted: sql<boolean>`false`, id: calendarBookingPushes.integrationId })
          .from(calendarBookingPushes)
          .where(and(eq(calendarBookingPushes.bookingId, booking.id), eq(calendarBookingPushes.action, 'upsert'))),
      );
    const wanted = known.filter((r) => r.wanted).map((r) => r.id);
    const unwanted = new Set(known.filter((r) => !r.wanted && !wanted.includes(r.id)).map((r) => r.id));
    const rows = [
      ...wanted.map((integrationId) => ({ integrationId, action: 'upsert' as const })),
      ...[...unwanted].map((integrationId) => ({ integrationId, action: 'delete' as const })),
    ];
    if (rows.length === 0) return 0;
    await on
      .insert(calendarBookingPushes)
      .values(
        rows.map((r) => ({
          id: newId('cpush', now),
          bookingId: booking.id,
          integrationId: r.integrationId,
          action: r.action,
          version: 1,
          status: 'pending',
          attempts: 0,
          seriesStartedAt: now,
          nextAttemptAt: now,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .onConflictDoUpdate({
        target: [calendarBookingPushes.bookingId, calendarBookingPushes.integrationId],
        // A new series for the new state; a push in flight keeps its claim and, seeing the version move, leaves the row pending.
        set: {
          action: sql`excluded.action`,
          version: sql`${calendarBookingPushes.version} + 1`,
          status: 'pending',
          attempts: 0,
          seriesStartedAt: now,
          nextAttemptAt: now,
          lastError: null,
          updatedAt: now,
        },
      });
    return rows.length;
  }

  /**
   * Wakes the push worker. Called after the booking's transaction committed; the worker also
   * polls, so a missed wake-up only delays a push.
   */
  notify(): void {
    for (const listener of this.#listeners) setImmediate(listener);
  }

  /** Calls `listener` after every {@link notify} (the worker starts early on it). */
  onScheduled(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
