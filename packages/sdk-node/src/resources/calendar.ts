import { routes, type CalendarProvider, type RouteQuery, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../core/api-promise.js';
import type { RequestOptions } from '../core/options.js';
import { APIResource } from '../core/resource.js';

const R = {
  connectGoogle: routes.connectGoogleCalendar,
  connectMicrosoft: routes.connectMicrosoftCalendar,
  integrations: routes.listCalendarIntegrations,
  disconnect: routes.disconnectCalendar,
  events: routes.listCalendarEvents,
} as const;

/** `{ ok, authUrl, expires_at }`: the consent page to send the staff member's browser to. */
export type CalendarConnectResponse = RouteResponse<typeof routes.connectGoogleCalendar>;
/** `{ ok, integrations }`: provider, status (`connected` / `needs_reauth`), scopes, times; never a token. */
export type CalendarIntegrationsResponse = RouteResponse<typeof routes.listCalendarIntegrations>;
/** `{ ok, provider, revoked_at_provider }`. */
export type CalendarDisconnectResponse = RouteResponse<typeof routes.disconnectCalendar>;

/** Query of `calendar.events()`: `from`, `to` (at most 62 days apart), `sync` (`'true'` to sync first). */
export type CalendarEventsParams = RouteQuery<typeof routes.listCalendarEvents>;
/** `{ ok, from, to, events, calendars }`: events in start order, series expanded, one per invitation across providers. */
export type CalendarEventsResponse = RouteResponse<typeof routes.listCalendarEvents>;

/**
 * The signed-in staff member's calendars (staff token): start a Google or Microsoft connection
 * (the browser completes it at the provider, which returns it to the server's callback), list
 * them, disconnect one, read their events.
 */
export class Calendar extends APIResource {
  /** Route of each method. */
  static readonly routes = R;

  /** The Google consent URL (the seed's `GET /calendar/google/connect`); valid 10 minutes, once. */
  connectGoogle(options?: RequestOptions): APIPromise<CalendarConnectResponse> {
    return this._client.request(R.connectGoogle, undefined, options);
  }

  /** The Microsoft consent URL (the seed's `GET /calendar/microsoft/connect`); valid 10 minutes, once. */
  connectMicrosoft(options?: RequestOptions): APIPromise<CalendarConnectResponse> {
    return this._client.request(R.connectMicrosoft, undefined, options);
  }

  /** Your connected calendars; `needs_reauth` means connect again. */
  integrations(options?: RequestOptions): APIPromise<CalendarIntegrationsResponse> {
    return this._client.request(R.integrations, undefined, options);
  }

  /**
   * Your events between `from` and `to` across your connected calendars, recurring series
   * expanded; `sync: 'true'` brings each calendar up to date first.
   */
  events(query: CalendarEventsParams, options?: RequestOptions): APIPromise<CalendarEventsResponse> {
    return this._client.request(R.events, { query }, options);
  }

  /** Disconnects a calendar: revoked at Google, tokens deleted either way. */
  disconnect(provider: CalendarProvider, options?: RequestOptions): APIPromise<CalendarDisconnectResponse> {
    return this._client.request(R.disconnect, { params: { provider } }, options);
  }
}
