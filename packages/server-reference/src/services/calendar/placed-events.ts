import type { CalendarProvider, WrittenCalendarEvent } from '@careos/contract';
import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.js';
import { calendarSyncStatus, clientCalendarEvents, syncedCalendarEvents } from '../../db/schema/index.js';
import { newId } from '../../domain/ids.js';
import type { FieldCrypto } from '../field-crypto.js';
import { eventDto, eventRow, UPSERT_SET, type SyncedEventRow } from './event-rows.js';
import type { RemoteEvent } from './events-api.js';

/** The calendar an event was written to. */
export interface PlacedOn {
  integrationId: string;
  staffId: string;
  provider: CalendarProvider;
}

/**
 * Stores an event CareOS just wrote to a calendar as the sync would have stored it, so reads
 * and the booking busy-time check see it before the next sync (which then finds it unchanged,
 * or corrects it). It takes the integration's current sync generation: a full pass that
 * completes later sees the event at the provider and keeps it; one already under way when the
 * event was written may sweep the row, and the next incremental pass brings it back.
 */
export async function storePlacedEvent(on: Executor, phi: FieldCrypto, placed: PlacedOn, event: RemoteEvent, now: Date): Promise<SyncedEventRow> {
  const [status] = await on.select({ generation: calendarSyncStatus.generation }).from(calendarSyncStatus).where(eq(calendarSyncStatus.integrationId, placed.integrationId));
  const [row] = await on
    .insert(syncedCalendarEvents)
    .values(eventRow(phi, { ...placed, syncMark: status?.generation ?? 0 }, event, now))
    .onConflictDoUpdate({ target: [syncedCalendarEvents.integrationId, syncedCalendarEvents.providerEventId], set: UPSERT_SET })
    .returning();
  return row!;
}

/** Removes the stored copy of an event CareOS deleted at the provider. */
export async function forgetPlacedEvent(on: Executor, integrationId: string, providerEventId: string): Promise<void> {
  await on.delete(syncedCalendarEvents).where(and(eq(syncedCalendarEvents.integrationId, integrationId), eq(syncedCalendarEvents.providerEventId, providerEventId)));
}

/**
 * Links a written event to a contact (`client_calendar_events`), and to a booking when it shows
 * one. One link per booking and calendar: writing it again (the event was re-created after
 * being deleted at the provider) points the link at the new event.
 */
export async function linkPlacedEvent(
  on: Executor,
  link: { clientId: string; placed: PlacedOn; providerEventId: string; bookingId: string | null; createdBy: string | null },
  now: Date,
): Promise<void> {
  const row = {
    id: newId('ccev', now),
    clientId: link.clientId,
    integrationId: link.placed.integrationId,
    provider: link.placed.provider,
    providerEventId: link.providerEventId,
    bookingId: link.bookingId,
    createdBy: link.createdBy,
    createdAt: now,
  };
  if (link.bookingId === null) {
    await on.insert(clientCalendarEvents).values(row).onConflictDoNothing();
    return;
  }
  await on
    .insert(clientCalendarEvents)
    .values(row)
    .onConflictDoUpdate({ target: [clientCalendarEvents.bookingId, clientCalendarEvents.integrationId], set: { providerEventId: sql`excluded.provider_event_id`, clientId: sql`excluded.client_id` } });
}

/** A stored event as `POST /calendar/events` answers it: an event as `GET /calendar/events` lists it, and its contact. */
export function writtenEventDto(phi: FieldCrypto, row: SyncedEventRow, clientId: string | null): WrittenCalendarEvent {
  return { ...eventDto(phi, row), client_id: clientId };
}
