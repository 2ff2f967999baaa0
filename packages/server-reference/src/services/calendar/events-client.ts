import type { CalendarProvider } from '@careos/contract';
import type { IntegrationSettings } from '../../config/integrations-config.js';
import type { TransportOptions } from './api-transport.js';
import type { CalendarEventsApi } from './events-api.js';
import { GoogleEventsApi } from './google-events-api.js';
import { GraphEventsApi } from './graph-events-api.js';
import type { CalendarTokens } from './tokens.js';

/**
 * The events API of a staff member's `provider` calendar, authorised by their stored tokens
 * (refreshed before expiry; after a 401, renewed once). Origins come from
 * `GOOGLE_CALENDAR_API_BASE_URL` and `MICROSOFT_GRAPH_BASE_URL`.
 */
export function calendarEventsApi(settings: IntegrationSettings, tokens: CalendarTokens, staffId: string, provider: CalendarProvider, options: TransportOptions = {}): CalendarEventsApi {
  const auth = {
    token: () => tokens.accessToken(staffId, provider),
    renew: (rejected: string) => tokens.renewAccessToken(staffId, provider, rejected),
  };
  return provider === 'google' ? new GoogleEventsApi(settings.google.calendarApiBaseUrl, auth, options) : new GraphEventsApi(settings.microsoft.graphBaseUrl, auth, options);
}
