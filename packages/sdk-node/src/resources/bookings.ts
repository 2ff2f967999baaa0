import { routes, type Booking, type RouteBody, type RouteQuery, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../core/api-promise.js';
import type { RequestOptions } from '../core/options.js';
import type { PagePromise } from '../core/pagination.js';
import { APIResource } from '../core/resource.js';

const R = {
  create: routes.createBooking,
  list: routes.listBookings,
  retrieve: routes.getBooking,
  update: routes.updateBooking,
  cancel: routes.updateBooking,
  sendReminder: routes.sendBookingReminder,
  sendFormReminder: routes.sendBookingFormReminder,
} as const;

/** Body of `bookings.create()`: `contact_id`, `staff_id`, `service`, `starts_at`, and `ends_at` or `duration_minutes`; `notes` optional. */
export type BookingCreateParams = RouteBody<typeof routes.createBooking>;
/** Query of `bookings.list()`: `from`, `to`, `staff_id`, `contact_id`, `status`, `limit`, `cursor`. */
export type BookingListParams = RouteQuery<typeof routes.listBookings>;
/** Body of `bookings.update()`: a reschedule or other fields, or a new `status` alone. */
export type BookingUpdateParams = RouteBody<typeof routes.updateBooking>;
/** `{ booking }`: answer of `create()`, `retrieve()`, `update()` and `cancel()`. */
export type BookingResponse = RouteResponse<typeof routes.getBooking>;
/** `{ booking_id, message_id }`: answer of `sendReminder()` and `sendFormReminder()`. */
export type BookingMessageResponse = RouteResponse<typeof routes.sendBookingReminder>;

/**
 * Bookings: contacts' appointments with staff (staff token, admin or staff). A time the staff
 * member is already booked is 409 `SLOT_TAKEN`; a change a closed booking cannot take is 409
 * `INVALID_TRANSITION`.
 */
export class Bookings extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Books a contact with a staff member; a contact with a phone is sent the confirmation SMS. */
  create(body: BookingCreateParams, options?: RequestOptions): APIPromise<BookingResponse> {
    return this._client.request(R.create, { body }, options);
  }

  /** Bookings in start order; iterate with `for await` to walk every page. */
  list(query?: BookingListParams, options?: RequestOptions): PagePromise<Booking> {
    return this._client.requestPage(R.list, query, options);
  }

  /** One booking, as `{ booking }`. */
  retrieve(id: string, options?: RequestOptions): APIPromise<BookingResponse> {
    return this._client.request(R.retrieve, { params: { id } }, options);
  }

  /** Reschedules or changes a booking, or closes it with `status` (`cancelled`, `completed`, `no_show`). */
  update(id: string, body: BookingUpdateParams, options?: RequestOptions): APIPromise<BookingResponse> {
    return this._client.request(R.update, { params: { id }, body }, options);
  }

  /** Cancels a booking, freeing its slot and dropping its pending reminder. */
  cancel(id: string, options?: RequestOptions): APIPromise<BookingResponse> {
    return this._client.request(R.cancel, { params: { id }, body: { status: 'cancelled' } }, options);
  }

  /** Sends the contact a reminder of the booking now. */
  sendReminder(id: string, options?: RequestOptions): APIPromise<BookingMessageResponse> {
    return this._client.request(R.sendReminder, { params: { id } }, options);
  }

  /** Asks the contact to fill in their forms before the booking. */
  sendFormReminder(id: string, options?: RequestOptions): APIPromise<BookingMessageResponse> {
    return this._client.request(R.sendFormReminder, { params: { id } }, options);
  }
}
