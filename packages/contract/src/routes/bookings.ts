import { z } from 'zod';
import { IdParam } from '../common.js';
import { ErrorText } from '../errors.js';
import { BookingList, BookingListQuery, BookingMessageResponse, BookingResponse, CreateBookingRequest, UpdateBookingRequest } from '../schemas/bookings.js';
import { defineRoute } from '../route.js';
import { adminErrors, adminWriteErrors } from './shared.js';

const tags = ['Bookings'] as const;
const params = z.object({ id: IdParam });
const bodyErrors = [ErrorText.invalidBody, ErrorText.malformedJson, ErrorText.unknownReference] as const;

/**
 * Bookings (care operations): a contact's appointments with staff members. Staff manage them
 * (admins and staff may use every route). One staff member is never booked twice for
 * overlapping time: the database refuses it, and the answer is 409 `SLOT_TAKEN` naming the
 * booking in the way.
 */
export const bookingRoutes = {
  createBooking: defineRoute({
    id: 'createBooking',
    method: 'POST',
    path: '/bookings',
    summary: 'Book a contact with a staff member; the contact is sent the confirmation SMS',
    description:
      'The end is `ends_at` or `duration_minutes`. A time that overlaps another scheduled booking of the staff member is ' +
      "409 `SLOT_TAKEN`, whose `details[0].message` is `Overlaps booking <id>`; back-to-back bookings are fine. A contact or staff " +
      'member that does not exist is 400 `Contact or staff member not found`. A contact with a phone is sent the confirmation SMS ' +
      '(local time in the business time zone) and, when the booking is far enough ahead, an automatic reminder is scheduled. ' +
      'A failing SMS provider never fails the booking: the message is marked failed and an alert is raised. Busy time on one of the ' +
      "staff member's connected calendars (as last synced, or written through `POST /calendar/events`) is 409 `SLOT_TAKEN` too, its " +
      'message naming the calendar (`google` or `microsoft`). The booking then appears on each connected calendar of the staff member, ' +
      'written in the background after the booking commits (retried with backoff; a calendar that fails raises an alert, never fails the booking).',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    body: CreateBookingRequest,
    status: 201,
    response: BookingResponse,
    errors: { ...adminWriteErrors, 400: bodyErrors, 409: [ErrorText.slotTaken] },
  }),

  listBookings: defineRoute({
    id: 'listBookings',
    method: 'GET',
    path: '/bookings',
    summary: 'Bookings in start order; filter by time range, staff member, contact and status',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    query: BookingListQuery,
    status: 200,
    response: BookingList,
    errors: { ...adminErrors, 400: [ErrorText.invalidQuery] },
  }),

  getBooking: defineRoute({
    id: 'getBooking',
    method: 'GET',
    path: '/bookings/{id}',
    summary: 'One booking',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    params,
    status: 200,
    response: BookingResponse,
    errors: { ...adminErrors, 404: [ErrorText.notFound] },
  }),

  updateBooking: defineRoute({
    id: 'updateBooking',
    method: 'PATCH',
    path: '/bookings/{id}',
    summary: 'Reschedule, change, cancel, complete or mark a no-show',
    description:
      'Only a `scheduled` booking changes; `cancelled`, `completed` and `no_show` are final, and anything else asked of them is ' +
      '409 `INVALID_TRANSITION` (asking for the status a booking already has changes nothing and answers 200). `completed` and ' +
      '`no_show` need the booking to have started. A reschedule into time the staff member is booked is 409 `SLOT_TAKEN`; it moves ' +
      'the automatic reminder with the booking, and closing the booking drops it. Cancelling frees the slot. Busy calendar time refuses a ' +
      'reschedule as it refuses a new booking (the event CareOS placed for this booking never counts). The calendar event follows in the ' +
      'background: a reschedule moves it, a change of staff member moves it to their calendars, cancelling deletes it (a completed or no-show booking stays on the calendar as it happened).',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    params,
    body: UpdateBookingRequest,
    status: 200,
    response: BookingResponse,
    errors: { ...adminWriteErrors, 400: bodyErrors, 404: [ErrorText.notFound], 409: [ErrorText.slotTaken, ErrorText.invalidTransition] },
  }),

  sendBookingReminder: defineRoute({
    id: 'sendBookingReminder',
    method: 'POST',
    path: '/bookings/{id}/send-reminder',
    summary: 'Send the contact a reminder of the booking now',
    description: 'For a `scheduled` booking of a contact with a phone (else 409). The automatic reminder stays scheduled.',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    params,
    status: 201,
    response: BookingMessageResponse,
    errors: { ...adminErrors, 404: [ErrorText.notFound], 409: [ErrorText.bookingNotScheduled, ErrorText.noPhone] },
  }),

  sendBookingFormReminder: defineRoute({
    id: 'sendBookingFormReminder',
    method: 'POST',
    path: '/bookings/{id}/send-form-reminder',
    summary: 'Ask the contact to fill in their forms before the booking',
    description: 'For a `scheduled` booking of a contact with a phone (else 409).',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    params,
    status: 201,
    response: BookingMessageResponse,
    errors: { ...adminErrors, 404: [ErrorText.notFound], 409: [ErrorText.bookingNotScheduled, ErrorText.noPhone] },
  }),
} as const;
