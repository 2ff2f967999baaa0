import { z } from 'zod';
import { Timestamp } from '../common.js';
import { isTimeZone } from './bookings.js';
import { CalendarEvent, CalendarProvider } from './calendar.js';

/** Most attendees one event written through CareOS may invite. */
export const MAX_EVENT_ATTENDEES = 50;

const endsAfterStart = (b: { start: string; end: string }) => Date.parse(b.end) > Date.parse(b.start);

/** Someone to invite to an event the caller creates. */
export const CalendarEventAttendeeInput = z
  .object({
    email: z.email().max(254).describe('Their address: the provider sends them the invitation'),
    name: z.string().trim().min(1).max(200).optional().describe('Display name'),
  })
  .meta({ id: 'CalendarEventAttendeeInput' });

/**
 * Body of `POST /calendar/events`: an event for one of the caller's connected calendars.
 * Times are instants (any offset); `time_zone` is the zone the calendar shows it in.
 */
export const CreateCalendarEventRequest = z
  .object({
    provider: CalendarProvider.describe('Which of your connected calendars to write to'),
    title: z.string().trim().min(1).max(500).describe('What the calendar shows (stored encrypted here)'),
    start: Timestamp.describe('Start (ISO 8601 with offset)'),
    end: Timestamp.describe('End (after start)'),
    time_zone: z.string().min(1).max(64).refine(isTimeZone, 'Must be an IANA time zone such as America/New_York').describe('IANA zone the event is written in'),
    description: z.string().max(8000).optional(),
    location: z.string().max(500).optional(),
    attendees: z.array(CalendarEventAttendeeInput).max(MAX_EVENT_ATTENDEES).optional().describe('Invited by the provider, which emails them'),
    busy: z.boolean().optional().describe('Whether the time shows as busy (default true): busy time blocks bookings of that slot'),
    client_id: z.string().trim().min(1).max(128).optional().describe('A contact (`user_…`) the event concerns: it is linked to them (`client_calendar_events`)'),
  })
  .refine(endsAfterStart, { message: 'Must be after start', path: ['end'] })
  .meta({ id: 'CreateCalendarEventRequest' });
/** A parsed create-event body. */
export type CreateCalendarEventRequest = z.infer<typeof CreateCalendarEventRequest>;

/**
 * An event of one of the caller's calendars as just written: the same shape as an event of
 * `GET /calendar/events` (so one type serves both), plus the contact it is linked to.
 */
export const WrittenCalendarEvent = CalendarEvent.extend({
  client_id: z.string().nullable().describe('The contact the event is linked to, if any'),
}).meta({ id: 'WrittenCalendarEvent' });
/** A written event. */
export type WrittenCalendarEvent = z.infer<typeof WrittenCalendarEvent>;

/** Answer of `POST /calendar/events`. */
export const CreateCalendarEventResponse = z.object({ ok: z.literal(true), event: WrittenCalendarEvent }).meta({ id: 'CreateCalendarEventResponse' });
