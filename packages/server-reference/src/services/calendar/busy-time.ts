import { ErrorCode, ErrorText, type CalendarProvider } from '@careos/contract';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/database.js';
import { syncedCalendarEvents } from '../../db/schema/index.js';
import { DomainError } from '../../domain/errors.js';
import { mastersIn, occurrencesIn } from './series.js';

/** A busy stretch of a staff member's calendar. */
export interface CalendarBusy {
  provider: CalendarProvider;
  startsAt: Date;
  endsAt: Date;
}

/**
 * The first busy event of a staff member's connected calendars (as last synced, or as written
 * through CareOS) overlapping [start, end): shown as busy, not cancelled — a single event, a
 * moved occurrence (an exception), or an occurrence of a recurring series, expanded as
 * `GET /calendar/events` expands it (without the occurrences its exceptions moved or cancelled).
 * Events CareOS placed for bookings never count — the bookings themselves are kept apart by the
 * database, and the event of a booking being moved or of one just cancelled must not block its
 * own slot. (CareOS writes no series, so no master is a booking's.)
 */
export async function calendarBusyAt(db: Database, tx: Tx, staffId: string, start: Date, end: Date): Promise<CalendarBusy | null> {
  const [row] = await db.rows<{ provider: string; starts_at: Date | string; ends_at: Date | string }>(
    sql`
    select e.provider, e.starts_at, e.ends_at
      from synced_calendar_events as e
     where e.staff_id = ${staffId}
       and e.busy
       and e.status <> 'cancelled'
       and e.kind <> 'master'
       and e.starts_at < ${end.toISOString()}::timestamptz
       and e.ends_at > ${start.toISOString()}::timestamptz
       and not exists (
         select 1 from client_calendar_events as l
          where l.integration_id = e.integration_id and l.provider_event_id = e.provider_event_id and l.booking_id is not null)
     order by e.starts_at
     limit 1`,
    tx,
  );
  const e = syncedCalendarEvents;
  const masters = await mastersIn(tx, and(eq(e.staffId, staffId), eq(e.busy, true), ne(e.status, 'cancelled')), start, end);
  const occurrences = await occurrencesIn(tx, masters, start, end);
  const busy = [
    ...(row ? [{ provider: row.provider as CalendarProvider, startsAt: new Date(row.starts_at), endsAt: new Date(row.ends_at) }] : []),
    ...occurrences.map((o) => ({ provider: o.row.provider as CalendarProvider, startsAt: o.start, endsAt: o.end })),
  ];
  return busy.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())[0] ?? null;
}

/** The 409 for a slot a connected calendar is busy in: names the calendar, never the event (its title may be PHI). */
export function calendarSlotTaken(staffId: string, busy: CalendarBusy): DomainError {
  const name = { google: 'Google', microsoft: 'Microsoft', sandbox: 'sandbox' }[busy.provider];
  return new DomainError(ErrorCode.SLOT_TAKEN, ErrorText.slotTaken, {
    message: `Staff member ${staffId} is busy on their ${name} calendar (${busy.provider}) from ${busy.startsAt.toISOString()} to ${busy.endsAt.toISOString()}`,
    details: [{ path: 'starts_at', message: `Overlaps a busy event on the ${busy.provider} calendar` }],
  });
}
