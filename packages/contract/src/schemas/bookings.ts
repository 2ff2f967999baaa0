import { z } from 'zod';
import { ListQuery, NextCursor, Timestamp, prefixedId } from '../common.js';
import { ContactId } from './contacts.js';

/** Longest booking, in minutes (one day). */
export const MAX_BOOKING_MINUTES = 24 * 60;

/** A booking's id. */
export const BookingId = prefixedId('bkg');
/** A staff account's id: the person the booking is with. */
const StaffId = prefixedId('staff');

/**
 * Where a booking stands. `scheduled` is the only open state: it may be rescheduled, or become
 * `cancelled`, `completed` or `no_show`, each of which is final.
 */
export const BookingStatus = z.enum(['scheduled', 'cancelled', 'completed', 'no_show']).meta({ id: 'BookingStatus' });
/** One of {@link BookingStatus}. */
export type BookingStatus = z.infer<typeof BookingStatus>;

/** The final states a `scheduled` booking can be moved to. */
export const BookingOutcome = z.enum(['cancelled', 'completed', 'no_show']);

const Service = z.string().trim().min(1).max(200).describe('What the booking is for, e.g. "Initial assessment" (stored encrypted)');
const Notes = z.string().max(4000).describe('Free-text notes for the care team (stored encrypted)');
const Duration = z.number().int().min(1).max(MAX_BOOKING_MINUTES).describe(`Length in minutes, 1-${MAX_BOOKING_MINUTES}`);
const RefId = z.string().trim().min(1).max(128);

/** A booking: a contact's appointment with a staff member. Times are UTC instants. */
export const Booking = z
  .object({
    id: BookingId,
    contact_id: ContactId,
    staff_id: StaffId,
    service: z.string(),
    starts_at: Timestamp.describe('Start, UTC'),
    ends_at: Timestamp.describe('End, UTC (exclusive: a booking may start exactly when another ends)'),
    duration_minutes: z.number().int(),
    time_zone: z.string().describe('The business’s IANA time zone, in which messages give local times (see `GET /admin/settings`)'),
    status: BookingStatus,
    notes: z.string().nullable(),
    confirmation_message_id: prefixedId('msg').nullable().describe('The confirmation SMS queued at creation; null when the contact has no phone or the booking had already started'),
    reminder_due_at: Timestamp.nullable().describe('When the automatic reminder is due; null when none is pending'),
    reminder_sent_at: Timestamp.nullable().describe('When the automatic reminder was queued'),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'Booking' });
/** A parsed booking. */
export type Booking = z.infer<typeof Booking>;

const endsAfterStart = (b: { starts_at?: string | undefined; ends_at?: string | undefined | null }) =>
  b.starts_at === undefined || b.ends_at === undefined || b.ends_at === null || Date.parse(b.ends_at) > Date.parse(b.starts_at);

/** Body of `POST /bookings`: who, with whom, what, when; the end as `ends_at` or `duration_minutes`. */
export const CreateBookingRequest = z
  .object({
    contact_id: RefId.describe('The contact (`user_…`) the booking is for'),
    staff_id: RefId.describe('The staff member (`staff_…`) the booking is with'),
    service: Service,
    starts_at: Timestamp.describe('Start, with `Z` or an offset'),
    ends_at: Timestamp.optional().describe('End; give this or `duration_minutes`'),
    duration_minutes: Duration.optional(),
    notes: Notes.optional(),
  })
  .refine((b) => (b.ends_at === undefined) !== (b.duration_minutes === undefined), { message: 'Give ends_at or duration_minutes (one of them)', path: ['ends_at'] })
  .refine(endsAfterStart, { message: 'Must be after starts_at', path: ['ends_at'] })
  .meta({ id: 'CreateBookingRequest' });

/**
 * Body of `PATCH /bookings/{id}`: a reschedule (new `starts_at`, `ends_at` or `duration_minutes`,
 * another `staff_id`), other fields, or a new `status` — a status change comes alone.
 */
export const UpdateBookingRequest = z
  .object({
    status: BookingOutcome.optional().describe('Close the booking: `cancelled`, `completed` or `no_show`'),
    starts_at: Timestamp.optional().describe('New start; the duration is kept unless a new end or duration is given'),
    ends_at: Timestamp.optional(),
    duration_minutes: Duration.optional(),
    staff_id: RefId.optional().describe('Move the booking to another staff member'),
    service: Service.optional(),
    notes: Notes.nullable().optional().describe('null clears them'),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Give at least one field to change' })
  .refine((b) => !(b.ends_at !== undefined && b.duration_minutes !== undefined), { message: 'Give ends_at or duration_minutes, not both', path: ['duration_minutes'] })
  .refine((b) => b.status === undefined || Object.entries(b).every(([k, v]) => k === 'status' || v === undefined), { message: 'A status change comes alone', path: ['status'] })
  .refine(endsAfterStart, { message: 'Must be after starts_at', path: ['ends_at'] })
  .meta({ id: 'UpdateBookingRequest' });

/** Query of `GET /bookings`: filters combine with AND; bookings come in start order. */
export const BookingListQuery = ListQuery.extend({
  from: Timestamp.optional().describe('Only bookings ending after this instant'),
  to: Timestamp.optional().describe('Only bookings starting before this instant'),
  staff_id: z.string().min(1).max(128).optional(),
  contact_id: z.string().min(1).max(128).optional(),
  status: BookingStatus.optional(),
});

/** One booking. */
export const BookingResponse = z.object({ booking: Booking }).meta({ id: 'BookingResponse' });

/** A page of bookings, earliest start first. */
export const BookingList = z.object({ bookings: z.array(Booking), next_cursor: NextCursor }).meta({ id: 'BookingList' });

/** Answer of `POST /bookings/{id}/send-reminder` and `…/send-form-reminder`: the SMS queued. */
export const BookingMessageResponse = z
  .object({ booking_id: BookingId, message_id: prefixedId('msg').describe('The SMS queued; follow it in `GET /admin/messages`') })
  .meta({ id: 'BookingMessageResponse' });

const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Must be a 24-hour HH:MM time such as 21:00');

/** A daily window in the business's local time; `start` after `end` crosses midnight. */
export const QuietHours = z
  .object({
    start: LocalTime.describe('Local time the window opens, HH:MM (24-hour)'),
    end: LocalTime.describe('Local time the window closes and held messages go out, HH:MM'),
  })
  .meta({ id: 'QuietHours' });

/** Settings of the business that staff share. */
export const BusinessSettings = z
  .object({
    time_zone: z.string().describe('IANA time zone of the business, e.g. America/New_York'),
    quiet_hours: QuietHours.nullable().describe(
      'While the local time is inside this window, automated messages (welcome, booking confirmations and reminders) wait until it closes; staff-sent messages are not held. `null`: no quiet hours.',
    ),
  })
  .meta({ id: 'BusinessSettings' });
/** Parsed business settings. */
export type BusinessSettings = z.infer<typeof BusinessSettings>;

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Body of `PATCH /admin/settings`. */
export const UpdateBusinessSettingsRequest = z
  .object({
    time_zone: z.string().min(1).max(64).refine(isTimeZone, 'Must be an IANA time zone such as America/New_York').describe('IANA time zone of the business').optional(),
    quiet_hours: QuietHours.nullable().describe('The quiet-hours window, or `null` to turn quiet hours off').optional(),
  })
  .refine((body) => body.time_zone !== undefined || body.quiet_hours !== undefined, 'Give time_zone, quiet_hours or both')
  .meta({ id: 'UpdateBusinessSettingsRequest' });
