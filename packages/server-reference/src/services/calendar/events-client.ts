import type { CalendarProvider } from '@careos/contract';
import type { IntegrationSettings } from '../../config/integrations-config.js';
import type { SandboxCalendarSite } from '../calendar-sandbox/site.js';
import type { TransportOptions } from './api-transport.js';
import { CalendarApiError, type CalendarEventsApi, type EventPage, type EventsApiAuth, type RemoteEvent } from './events-api.js';
import { GoogleEventsApi } from './google-events-api.js';
import { GraphEventsApi } from './graph-events-api.js';
import { SandboxEventsApi } from './sandbox-events-api.js';
import type { CalendarTokens } from './tokens.js';

/** The events API of a staff member's `provider` calendar (tests and benchmarks pass other HTTP options). */
export type EventsApiFactory = (staffId: string, provider: CalendarProvider, options?: TransportOptions) => CalendarEventsApi;

/**
 * The events APIs of staff members' calendars, authorised by their stored tokens (refreshed
 * before expiry; after a 401, renewed once). Origins come from `GOOGLE_CALENDAR_API_BASE_URL`
 * and `MICROSOFT_GRAPH_BASE_URL`; the sandbox's from its site, read at each call so a sandbox
 * whose address became known later (the server started listening) is found.
 */
export function eventsApiFactory(settings: IntegrationSettings, sandbox: Pick<SandboxCalendarSite, 'endpoints'>, tokens: CalendarTokens): EventsApiFactory {
  return (staffId, provider, options = {}) => {
    const auth = storedTokenAuth(tokens, staffId, provider);
    switch (provider) {
      case 'google':
        return new GoogleEventsApi(settings.google.calendarApiBaseUrl, auth, options);
      case 'microsoft':
        return new GraphEventsApi(settings.microsoft.graphBaseUrl, auth, options);
      case 'sandbox': {
        const endpoints = sandbox.endpoints();
        return endpoints ? new SandboxEventsApi(endpoints.calendarApi, auth, options) : new UnservedSandboxApi();
      }
    }
  };
}

/** Calls authorised by the staff member's stored tokens: refreshed before expiry, renewed once after a 401. */
export function storedTokenAuth(tokens: CalendarTokens, staffId: string, provider: CalendarProvider): EventsApiAuth {
  return {
    token: () => tokens.accessToken(staffId, provider),
    renew: (rejected: string) => tokens.renewAccessToken(staffId, provider, rejected),
  };
}

const notServed = () => new CalendarApiError('sandbox', 0, 'not_served');

/** The sandbox while it is off (or its address unknown): every call fails as if unreachable, changing nothing. */
class UnservedSandboxApi implements CalendarEventsApi {
  readonly provider = 'sandbox' as const;
  async listPage(): Promise<EventPage> {
    throw notServed();
  }
  async createEvent(): Promise<RemoteEvent> {
    throw notServed();
  }
  async updateEvent(): Promise<RemoteEvent> {
    throw notServed();
  }
  async deleteEvent(): Promise<void> {
    throw notServed();
  }
  async findByKey(): Promise<RemoteEvent | null> {
    throw notServed();
  }
}
