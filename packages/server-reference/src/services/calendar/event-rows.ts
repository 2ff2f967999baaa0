import type { CalendarEvent, CalendarProvider } from '@careos/contract';
import { sql } from 'drizzle-orm';
import { syncedCalendarEvents } from '../../db/schema/index.js';
import { newId } from '../../domain/ids.js';
import type { FieldCrypto } from '../field-crypto.js';
import type { EventDetails, RemoteEvent } from './events-api.js';
import { seriesEnd } from './recurrence.js';

/** A stored synced event. */
export type SyncedEventRow = typeof syncedCalendarEvents.$inferSelect;

/** Which integration a page belongs to, and the mark its rows get. */
export interface RowOwner {
  integrationId: string;
  staffId: string;
  provider: CalendarProvider;
  syncMark: number;
}

/** Columns an upsert of a row replaces (all but the id and creation time). */
const UPDATED_COLUMNS = ['icalUidBidx', 'kind', 'status', 'seriesEventId', 'originalStartsAt', 'detailsEnc', 'startsAt', 'endsAt', 'timeZone', 'allDay', 'busy', 'recurrence', 'recurrenceEndsAt', 'providerUpdatedAt', 'syncMark', 'updatedAt'] as const;
/** The `set` of an upsert of {@link eventRow}s on (integration, provider event id): the new values win. */
export const UPSERT_SET = Object.fromEntries(UPDATED_COLUMNS.map((key) => [key, sql.raw(`excluded.${syncedCalendarEvents[key].name}`)]));

/** The blind index of an iCalendar UID (UIDs compare exactly; some embed an address, hence keyed). */
export function icalUidIndex(phi: FieldCrypto, uid: string | null): string | null {
  return uid ? phi.blind.token('ical_uid', uid) : null;
}

/** A provider event as the row the sync upserts (details sealed, recurrence bounds computed). */
export function eventRow(phi: FieldCrypto, owner: RowOwner, event: RemoteEvent, now: Date): typeof syncedCalendarEvents.$inferInsert {
  let recurrenceEndsAt: Date | null = null;
  if (event.kind === 'master' && event.recurrence) {
    try {
      recurrenceEndsAt = seriesEnd({ start: event.start, durationMs: event.end.getTime() - event.start.getTime(), timeZone: event.timeZone, allDay: event.allDay, lines: event.recurrence });
    } catch {
      // A rule `rrule` cannot read: treat the series as endless, so it is never hidden by mistake.
      recurrenceEndsAt = null;
    }
  }
  return {
    id: newId('cev', now),
    integrationId: owner.integrationId,
    staffId: owner.staffId,
    provider: owner.provider,
    providerEventId: event.id,
    icalUidBidx: icalUidIndex(phi, event.icalUid),
    kind: event.kind,
    status: event.status,
    seriesEventId: event.seriesId,
    originalStartsAt: event.originalStart,
    detailsEnc: phi.cipher.sealJson(syncedCalendarEvents.detailsEnc, event.details),
    startsAt: event.start,
    endsAt: event.end,
    timeZone: event.timeZone,
    allDay: event.allDay,
    busy: event.busy,
    recurrence: event.recurrence ? JSON.stringify(event.recurrence) : null,
    recurrenceEndsAt,
    providerUpdatedAt: event.updatedAt,
    syncMark: owner.syncMark,
    createdAt: now,
    updatedAt: now,
  };
}

/** The sealed details of a row. */
export function openEventDetails(phi: FieldCrypto, row: Pick<SyncedEventRow, 'detailsEnc'>): EventDetails {
  return phi.cipher.openJson<EventDetails>(syncedCalendarEvents.detailsEnc, row.detailsEnc);
}

/** A master's recurrence lines. */
export function recurrenceLines(row: Pick<SyncedEventRow, 'recurrence'>): string[] {
  return row.recurrence ? (JSON.parse(row.recurrence) as string[]) : [];
}

/**
 * A stored event (or one occurrence of a stored series, `occurrence` its start) as the API
 * shows it: `GET /calendar/events` lists these, `POST /calendar/events` answers one.
 */
export function eventDto(phi: FieldCrypto, row: SyncedEventRow, occurrence?: { start: Date; end: Date }): CalendarEvent {
  const details = openEventDetails(phi, row);
  const start = occurrence?.start ?? row.startsAt;
  return {
    id: `${row.provider}:${row.providerEventId}${occurrence ? `:${start.toISOString()}` : ''}`,
    title: details.title,
    description: details.description,
    location: details.location,
    organizer: details.organizer,
    attendees: details.attendees,
    start: start.toISOString(),
    end: (occurrence?.end ?? row.endsAt).toISOString(),
    time_zone: row.timeZone,
    all_day: row.allDay,
    busy: row.busy,
    status: row.status === 'tentative' ? 'tentative' : 'confirmed',
    recurring: occurrence !== undefined || row.kind === 'exception' || row.seriesEventId !== null,
    providers: [{ provider: row.provider as CalendarProvider, event_id: row.seriesEventId ?? row.providerEventId }],
  };
}
