import { routes, type CalendarProvider, type RouteResponse } from '@careos/contract';
import type { APIPromise } from '../core/api-promise.js';
import type { RequestOptions } from '../core/options.js';
import type { CareOSCore } from '../core/core.js';
import { APIResource } from '../core/resource.js';
import { CalendarEvents } from './calendar-events.js';

const R = {
  connectGoogle: routes.connectGoogleCalendar,
  connectMicrosoft: routes.connectMicrosoftCalendar,
  connectSandbox: routes.connectSandboxCalendar,
  integrations: routes.listCalendarIntegrations,
  disconnect: routes.disconnectCalendar,
} as const;

/** `{ ok, authUrl, expires_at }`: the consent page to send the staff member's browser to. */
export type CalendarConnectResponse = RouteResponse<typeof routes.connectGoogleCalendar>;
/** `{ ok, integrations }`: provider, status (`connected` / `needs_reauth`), scopes, times; never a token. */
export type CalendarIntegrationsResponse = RouteResponse<typeof routes.listCalendarIntegrations>;
/** `{ ok, provider, revoked_at_provider }`. */
export type CalendarDisconnectResponse = RouteResponse<typeof routes.disconnectCalendar>;

/**
 * The signed-in staff member's calendars (staff token): start a Google, Microsoft or sandbox connection
 * (the browser completes it at the provider, which returns it to the server's callback), list
 * them, disconnect one; read and create their events (`events`).
 */
export class Calendar extends APIResource {
  /** Route of each method. */
  static readonly routes = R;
  /** Events on your connected calendars. */
  readonly events: CalendarEvents;

  /**
   * @param client the core shared by all resources of one client
   * @internal resources are created by `new CareOS()`
   */
  constructor(client: CareOSCore) {
    super(client);
    this.events = new CalendarEvents(client);
  }

  /** The Google consent URL (the seed's `GET /calendar/google/connect`); valid 10 minutes, once. */
  connectGoogle(options?: RequestOptions): APIPromise<CalendarConnectResponse> {
    return this._client.request(R.connectGoogle, undefined, options);
  }

  /** The Microsoft consent URL (the seed's `GET /calendar/microsoft/connect`); valid 10 minutes, once. */
  connectMicrosoft(options?: RequestOptions): APIPromise<CalendarConnectResponse> {
    return this._client.request(R.connectMicrosoft, undefined, options);
  }

  /** The reference server's sandbox consent URL (`GET /calendar/sandbox/connect`, local development); valid 10 minutes, once. */
  connectSandbox(options?: RequestOptions): APIPromise<CalendarConnectResponse> {
    return this._client.request(R.connectSandbox, undefined, options);
  }

  /** Your connected calendars; `needs_reauth` means connect again. */
  integrations(options?: RequestOptions): APIPromise<CalendarIntegrationsResponse> {
    return this._client.request(R.integrations, undefined, options);
  }

  /** Disconnects a calendar: revoked at Google or the sandbox, tokens deleted either way. */
  disconnect(provider: CalendarProvider, options?: RequestOptions): APIPromise<CalendarDisconnectResponse> {
    return this._client.request(R.disconnect, { params: { provider } }, options);
  }
}
