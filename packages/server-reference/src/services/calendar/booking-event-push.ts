import type { CalendarProvider } from '@careos/contract';
import { and, eq } from 'drizzle-orm';
import { bookings, calendarIntegrations, clientCalendarEvents } from '../../db/schema/index.js';
import type { ServiceContext } from '../context.js';
import { CalendarApiError, type CalendarEventsApi, type EventInput, type RemoteEvent } from './events-api.js';
import type { EventsApiFactory } from './events-client.js';
import { forgetPlacedEvent, linkPlacedEvent, storePlacedEvent, type PlacedOn } from './placed-events.js';

/** One claimed push: a booking and the calendar to bring in line with it. */
export interface ClaimedPush {
  bookingId: string;
  integrationId: string;
  action: 'upsert' | 'delete';
  /** This attempt's number in its series (1 for the first). */
  attempt: number;
}

/** The title every booking event carries (see docs/decisions.md: no client name, service or notes leave CareOS). */
export const BOOKING_EVENT_TITLE = 'CareOS booking';

/** The private key a booking's event carries, by which a retry finds an event whose create answer was lost. */
export function bookingEventKey(bookingId: string): string {
  return `careos-${bookingId}`;
}

/**
 * What a booking's event says: a fixed title and the booking id, nothing about the client (a
 * staff member's calendar is often shared with colleagues and assistants, and the provider is
 * not covered by the business's BAA as CareOS's own storage is).
 */
export function bookingEventInput(booking: { id: string; startsAt: Date; endsAt: Date }, timeZone: string): EventInput {
  return {
    title: BOOKING_EVENT_TITLE,
    description: `Booking ${booking.id}. Open it in CareOS for the details.`,
    location: null,
    start: booking.startsAt,
    end: booking.endsAt,
    timeZone,
    busy: true,
  };
}

/** `404` / `410`: the event is no longer at the provider (deleted there by someone). */
function isGone(error: unknown): boolean {
  return error instanceof CalendarApiError && (error.status === 404 || error.status === 410);
}

/**
 * Brings one calendar in line with one booking, idempotently: each step can be repeated after
 * a failure or a lost answer without leaving a second event. An `upsert` moves the linked event
 * (re-creating it when someone deleted it at the provider); with no link yet, a repeated
 * attempt first looks for the event by the booking's private key, as the previous create may
 * have reached the provider although its answer never came back, and only creates when there is
 * none. A `delete` removes the linked event, or the one the key finds. The link
 * (`client_calendar_events`, unique per booking and calendar) and the stored copy are written
 * once the provider has answered.
 */
export async function pushBookingEvent(ctx: ServiceContext, apiFor: EventsApiFactory, push: ClaimedPush, timeZone: string): Promise<'done' | 'nothing_to_do'> {
  const orm = ctx.db.orm;
  const [integration] = await orm
    .select({ id: calendarIntegrations.id, staffId: calendarIntegrations.staffId, provider: calendarIntegrations.provider })
    .from(calendarIntegrations)
    .where(eq(calendarIntegrations.id, push.integrationId));
  const [booking] = await orm.select().from(bookings).where(eq(bookings.id, push.bookingId));
  if (!integration || !booking) return 'nothing_to_do';
  const placed: PlacedOn = { integrationId: integration.id, staffId: integration.staffId, provider: integration.provider as CalendarProvider };
  const [link] = await orm
    .select({ providerEventId: clientCalendarEvents.providerEventId })
    .from(clientCalendarEvents)
    .where(and(eq(clientCalendarEvents.bookingId, booking.id), eq(clientCalendarEvents.integrationId, integration.id)));
  const api = apiFor(placed.staffId, placed.provider);
  const key = bookingEventKey(booking.id);

  if (push.action === 'delete') {
    const target = link?.providerEventId ?? (await api.findByKey(key))?.id ?? null;
    if (target) await api.deleteEvent(target);
    await orm.transaction(async (tx) => {
      await tx.delete(clientCalendarEvents).where(and(eq(clientCalendarEvents.bookingId, booking.id), eq(clientCalendarEvents.integrationId, integration.id)));
      if (target) await forgetPlacedEvent(tx, integration.id, target);
    });
    return target ? 'done' : 'nothing_to_do';
  }

  const input = bookingEventInput(booking, timeZone);
  let event: RemoteEvent | null = null;
  if (link) event = await api.updateEvent(link.providerEventId, input).catch((error: unknown) => (isGone(error) ? null : Promise.reject(error)));
  if (!event) event = await createOnce(api, input, key, push.attempt > 1 || link !== undefined);
  await orm.transaction(async (tx) => {
    if (link && link.providerEventId !== event.id) await forgetPlacedEvent(tx, integration.id, link.providerEventId);
    await storePlacedEvent(tx, ctx.phi, placed, event, ctx.clock.now());
    await linkPlacedEvent(tx, { clientId: booking.contactId, placed, providerEventId: event.id, bookingId: booking.id, createdBy: null }, ctx.clock.now());
  });
  return 'done';
}

/** Creates the event unless `lookFirst` finds it already there (then brings that one up to date). */
async function createOnce(api: CalendarEventsApi, input: EventInput, key: string, lookFirst: boolean): Promise<RemoteEvent> {
  const found = lookFirst ? await api.findByKey(key) : null;
  if (found) return api.updateEvent(found.id, input);
  return api.createEvent({ ...input, key });
}
