import { and, eq, gt, inArray, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database.js';
import { syncedCalendarEvents } from '../../db/schema/index.js';
import { recurrenceLines, type SyncedEventRow } from './event-rows.js';
import { occurrencesBetween } from './recurrence.js';

/** One occurrence of a stored series. */
export interface Occurrence {
  row: SyncedEventRow;
  start: Date;
  end: Date;
}

/**
 * The stored series masters (`where` narrows them: a staff member, busy ones…) that may have
 * occurrences in `[from, to)`: started before its end, not over before its start.
 */
export function mastersIn(on: Executor, where: SQL | undefined, from: Date, to: Date): Promise<SyncedEventRow[]> {
  const e = syncedCalendarEvents;
  return on
    .select()
    .from(e)
    .where(and(where, eq(e.kind, 'master'), lt(e.startsAt, to), or(isNull(e.recurrenceEndsAt), gt(e.recurrenceEndsAt, from))));
}

/**
 * The occurrences of `masters` overlapping `[from, to)`, without those their stored exceptions
 * replace or cancel (an exception is a row of its own: the caller reads it as a single event,
 * where it has moved to, or not at all when it is cancelled). `GET /calendar/events` lists
 * these; the booking busy check counts them.
 */
export async function occurrencesIn(on: Executor, masters: SyncedEventRow[], from: Date, to: Date): Promise<Occurrence[]> {
  if (!masters.length) return [];
  const e = syncedCalendarEvents;
  const exceptions = await on
    .select({ integrationId: e.integrationId, seriesEventId: e.seriesEventId, originalStartsAt: e.originalStartsAt })
    .from(e)
    .where(and(eq(e.kind, 'exception'), inArray(e.integrationId, [...new Set(masters.map((m) => m.integrationId))]), inArray(e.seriesEventId, masters.map((m) => m.providerEventId))));
  const replaced = new Map<string, Set<number>>();
  for (const x of exceptions) {
    if (!x.originalStartsAt) continue;
    const key = `${x.integrationId}\u0000${x.seriesEventId}`;
    if (!replaced.has(key)) replaced.set(key, new Set());
    replaced.get(key)!.add(x.originalStartsAt.getTime());
  }
  const out: Occurrence[] = [];
  for (const row of masters) {
    const durationMs = row.endsAt.getTime() - row.startsAt.getTime();
    let starts: Date[];
    try {
      starts = occurrencesBetween({ start: row.startsAt, durationMs, timeZone: row.timeZone, allDay: row.allDay, lines: recurrenceLines(row) }, from, to, replaced.get(`${row.integrationId}\u0000${row.providerEventId}`));
    } catch {
      // A rule that cannot be read: the first occurrence if it is in the window rather than failing the whole read.
      starts = row.startsAt < to && row.endsAt > from ? [row.startsAt] : [];
    }
    for (const start of starts) out.push({ row, start, end: new Date(start.getTime() + durationMs) });
  }
  return out;
}
