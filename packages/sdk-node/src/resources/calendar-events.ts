import { routes, type RouteBody, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../core/api-promise.js';
import type { RequestOptions } from '../core/options.js';
import { APIResource } from '../core/resource.js';

const R = {
  create: routes.createCalendarEvent,
} as const;

/** Body of `calendar.events.create()`: `provider`, `title`, `start`, `end`, `time_zone`; `description`, `location`, `attendees`, `busy`, `client_id` optional. */
export type CalendarEventCreateParams = RouteBody<typeof routes.createCalendarEvent>;
/** `{ ok, event }`: the event as the provider stored it (our `id`, `provider_event_id`, times in UTC, `client_id`). */
export type CalendarEventResponse = RouteResponse<typeof routes.createCalendarEvent>;

/**
 * Events on the signed-in staff member's connected calendars (staff token). A calendar not
 * connected is 409 `CALENDAR_NOT_CONNECTED`, one to connect again 409 `CALENDAR_NEEDS_REAUTH`,
 * a provider that could not be reached 503 `PROVIDER_UNAVAILABLE`.
 */
export class CalendarEvents extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** Creates an event on your `provider` calendar, optionally linked to a contact (`client_id`). */
  create(body: CalendarEventCreateParams, options?: RequestOptions): APIPromise<CalendarEventResponse> {
    return this._client.request(R.create, { body }, options);
  }
}
