import { routes, type RouteBody, type RouteQuery, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../core/api-promise.js';
import type { RequestOptions } from '../core/options.js';
import { APIResource } from '../core/resource.js';

const R = {
  list: routes.listCalendarEvents,
  create: routes.createCalendarEvent,
} as const;

/** Query of `calendar.events.list()`: `from`, `to` (at most 62 days apart), `sync` (`'true'` to sync first). */
export type CalendarEventListParams = RouteQuery<typeof routes.listCalendarEvents>;
/** `{ ok, from, to, events, calendars }`: events in start order, series expanded, one per invitation across providers. */
export type CalendarEventListResponse = RouteResponse<typeof routes.listCalendarEvents>;

/** Body of `calendar.events.create()`: `provider`, `title`, `start`, `end`, `time_zone`; `description`, `location`, `attendees`, `busy`, `client_id` optional. */
export type CalendarEventCreateParams = RouteBody<typeof routes.createCalendarEvent>;
/** `{ ok, event }`: the event as the provider stored it, shaped as `list()` lists events, plus `client_id`. */
export type CalendarEventResponse = RouteResponse<typeof routes.createCalendarEvent>;

/**
 * Events on the signed-in staff member's connected calendars (staff token). A calendar not
 * connected is 409 `CALENDAR_NOT_CONNECTED`, one to connect again 409 `CALENDAR_NEEDS_REAUTH`,
 * a provider that could not be reached 503 `PROVIDER_UNAVAILABLE`.
 */
export class CalendarEvents extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /**
   * Your events between `from` and `to` across your connected calendars, recurring series
   * expanded; `sync: 'true'` brings each calendar up to date first.
   */
  list(query: CalendarEventListParams, options?: RequestOptions): APIPromise<CalendarEventListResponse> {
    return this._client.request(R.list, { query }, options);
  }

  /** Creates an event on your `provider` calendar, optionally linked to a contact (`client_id`). */
  create(body: CalendarEventCreateParams, options?: RequestOptions): APIPromise<CalendarEventResponse> {
    return this._client.request(R.create, { body }, options);
  }
}
