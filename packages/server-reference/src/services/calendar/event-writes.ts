import { ErrorCode, ErrorText, type CalendarProvider, type CreateCalendarEventRequest, type WrittenCalendarEvent } from '@careos/contract';
import { and, eq, isNull } from 'drizzle-orm';
import { calendarIntegrations, users } from '../../db/schema/index.js';
import { DomainError } from '../../domain/errors.js';
import type { ServiceContext } from '../context.js';
import type { EventsApiFactory } from './events-client.js';
import { linkPlacedEvent, storePlacedEvent, writtenEventDto } from './placed-events.js';
import { calendarNeedsReauth, calendarNotConnected, calendarWriteError } from './write-errors.js';

/**
 * Events a staff member creates on their own connected calendar (`POST /calendar/events`): the
 * event is written at the provider first, then kept as a synced event (and linked to a
 * contact when one is named) in one transaction, so it is listed and blocks bookings at once.
 * Nothing is stored when the provider refused or could not be reached.
 */
export class CalendarEventWriter {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly api: EventsApiFactory,
  ) {}

  /** Creates the event; the contract's errors for a calendar not connected, needing consent, or failing. */
  async create(staffId: string, input: CreateCalendarEventRequest): Promise<WrittenCalendarEvent> {
    const { ctx } = this;
    const orm = ctx.db.orm;
    const [integration] = await orm
      .select({ id: calendarIntegrations.id, status: calendarIntegrations.status })
      .from(calendarIntegrations)
      .where(and(eq(calendarIntegrations.staffId, staffId), eq(calendarIntegrations.provider, input.provider)));
    if (!integration) throw calendarNotConnected(input.provider);
    if (integration.status === 'needs_reauth') throw calendarNeedsReauth(input.provider);
    // Checked before the provider is called: an event for a contact that does not exist is never written.
    if (input.client_id !== undefined) {
      const [client] = await orm.select({ id: users.id }).from(users).where(and(eq(users.id, input.client_id), isNull(users.deletedAt)));
      if (!client) throw new DomainError(ErrorCode.VALIDATION_FAILED, ErrorText.unknownReference, { message: 'No contact with this id', details: [{ path: 'client_id', message: 'Not found' }] });
    }
    let event;
    try {
      event = await this.api(staffId, input.provider).createEvent({
        title: input.title,
        description: input.description ?? null,
        location: input.location ?? null,
        start: new Date(input.start),
        end: new Date(input.end),
        timeZone: input.time_zone,
        ...(input.attendees ? { attendees: input.attendees } : {}),
        busy: input.busy ?? true,
      });
    } catch (error) {
      throw calendarWriteError(input.provider, error);
    }
    const now = ctx.clock.now();
    const placed = { integrationId: integration.id, staffId, provider: input.provider };
    const row = await orm.transaction(async (tx) => {
      const stored = await storePlacedEvent(tx, ctx.phi, placed, event, now);
      if (input.client_id !== undefined) await linkPlacedEvent(tx, { clientId: input.client_id, placed, providerEventId: event.id, bookingId: null, createdBy: staffId }, now);
      return stored;
    });
    ctx.logger.info({ integration_id: integration.id, provider: input.provider, event_id: row.id }, 'calendar event created');
    return writtenEventDto(ctx.phi, row, input.client_id ?? null);
  }
}
