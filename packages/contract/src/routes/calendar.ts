import { ErrorText } from '../errors.js';
import {
  CalendarCallbackPage,
  CalendarCallbackQuery,
  CalendarConnectResponse,
  CalendarDisconnectResponse,
  CalendarEventList,
  CalendarEventsQuery,
  CalendarIntegrationList,
  CalendarProviderParams,
} from '../schemas/calendar.js';
import { defineRoute } from '../route.js';
import { adminErrors } from './shared.js';

const tags = ['Calendars'] as const;
const notConfigured = { 503: [ErrorText.calendarNotConfigured] } as const;

/**
 * Calendars (the seed's Google and Microsoft OAuth connection): each staff member connects their
 * own calendars. Connect issues a single-use, 10-minute `state` bound to the caller and provider,
 * with a PKCE (S256) verifier kept server-side; the provider sends the browser back to the
 * callback, which the state alone authenticates. Tokens are stored encrypted and never returned.
 */
export const calendarRoutes = {
  connectGoogleCalendar: defineRoute({
    id: 'connectGoogleCalendar',
    method: 'GET',
    path: '/calendar/google/connect',
    summary: 'Start connecting your Google Calendar: answers the consent URL to send the browser to',
    description:
      'Authorization code flow with PKCE (S256). The URL carries a single-use `state`, valid 10 minutes, that binds the consent to you. ' +
      '503 `NOT_CONFIGURED` when `GOOGLE_CLIENT_ID`, `GOOGLE_CLIENT_SECRET` or `GOOGLE_REDIRECT_URI` is not set.',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    status: 200,
    response: CalendarConnectResponse,
    errors: { ...adminErrors, ...notConfigured },
  }),

  connectMicrosoftCalendar: defineRoute({
    id: 'connectMicrosoftCalendar',
    method: 'GET',
    path: '/calendar/microsoft/connect',
    summary: 'Start connecting your Outlook calendar: answers the consent URL to send the browser to',
    description:
      'As for Google, at the Microsoft identity platform (`MICROSOFT_TENANT`, default `common`). 503 `NOT_CONFIGURED` when ' +
      '`MICROSOFT_CLIENT_ID`, `MICROSOFT_CLIENT_SECRET` or `MICROSOFT_REDIRECT_URI` is not set.',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    status: 200,
    response: CalendarConnectResponse,
    errors: { ...adminErrors, ...notConfigured },
  }),

  googleCalendarCallback: defineRoute({
    id: 'googleCalendarCallback',
    method: 'GET',
    path: '/calendar/google/callback',
    summary: 'Where Google returns the browser after consent (register it as `GOOGLE_REDIRECT_URI`)',
    description:
      'No bearer token: the single-use `state` authenticates the call. The code is exchanged with the stored PKCE verifier and the tokens ' +
      'stored encrypted; the answer is a small HTML page. A replayed, expired or unknown state, or one issued for the other provider, ' +
      'gets 400 `INVALID_OAUTH_STATE` and changes nothing. A declined consent gets 400 `OAUTH_DECLINED`, a callback without a valid code or a code the provider refuses ' +
      '400 `OAUTH_FAILED` (the state is spent either way). Every outcome is audited.',
    tags,
    auth: 'none',
    query: CalendarCallbackQuery,
    status: 200,
    responseEncoding: 'html',
    response: CalendarCallbackPage,
    errors: {
      400: [ErrorText.invalidQuery, ErrorText.invalidOAuthState, ErrorText.oauthDeclined, ErrorText.oauthFailed],
      503: [ErrorText.calendarNotConfigured, ErrorText.calendarProviderUnavailable],
    },
  }),

  microsoftCalendarCallback: defineRoute({
    id: 'microsoftCalendarCallback',
    method: 'GET',
    path: '/calendar/microsoft/callback',
    summary: 'Where Microsoft returns the browser after consent (register it as `MICROSOFT_REDIRECT_URI`)',
    description:
      'As for Google. No bearer token: the single-use `state` authenticates the call. The code is exchanged with the stored PKCE verifier and the tokens ' +
      'stored encrypted; the answer is a small HTML page. A replayed, expired or unknown state, or one issued for the other provider, ' +
      'gets 400 `INVALID_OAUTH_STATE` and changes nothing. A declined consent gets 400 `OAUTH_DECLINED`, a callback without a valid code or a code the provider refuses ' +
      '400 `OAUTH_FAILED` (the state is spent either way). Every outcome is audited.',
    tags,
    auth: 'none',
    query: CalendarCallbackQuery,
    status: 200,
    responseEncoding: 'html',
    response: CalendarCallbackPage,
    errors: {
      400: [ErrorText.invalidQuery, ErrorText.invalidOAuthState, ErrorText.oauthDeclined, ErrorText.oauthFailed],
      503: [ErrorText.calendarNotConfigured, ErrorText.calendarProviderUnavailable],
    },
  }),

  listCalendarIntegrations: defineRoute({
    id: 'listCalendarIntegrations',
    method: 'GET',
    path: '/calendar/integrations',
    summary: 'Your connected calendars: provider, status (`connected` or `needs_reauth`), scopes; never a token',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    status: 200,
    response: CalendarIntegrationList,
    errors: adminErrors,
  }),

  listCalendarEvents: defineRoute({
    id: 'listCalendarEvents',
    method: 'GET',
    path: '/calendar/events',
    summary: 'Your events between two instants across your connected calendars, recurring series expanded',
    description:
      'Reads the events the sync stored (Google `syncToken` and Graph delta, in the background every `CAREOS_CALENDAR_SYNC_INTERVAL_SECONDS`); ' +
      'with `sync=true` each calendar is synced first. Occurrences of recurring series in the window are listed one by one, with their ' +
      'changed and cancelled occurrences applied. The same invitation seen through both providers (one iCalendar UID) is listed once, ' +
      'naming both in `providers`. At most 62 days per call. Titles, descriptions and attendees are yours to see only; no token or sync cursor is ever included.',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    query: CalendarEventsQuery,
    status: 200,
    response: CalendarEventList,
    errors: { ...adminErrors, 400: [ErrorText.invalidQuery] },
  }),

  disconnectCalendar: defineRoute({
    id: 'disconnectCalendar',
    method: 'DELETE',
    path: '/calendar/integrations/{provider}',
    summary: 'Disconnect one of your calendars: revoke at the provider where it can, delete the tokens',
    description:
      'Google: the refresh token is revoked at `/revoke` (a failure there is reported as `revoked_at_provider: false` and the tokens are ' +
      'deleted anyway). Microsoft offers no revocation endpoint for this flow: the tokens are deleted here and the user can remove ' +
      'the app from their Microsoft account. 404 when that calendar is not connected.',
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    params: CalendarProviderParams,
    status: 200,
    response: CalendarDisconnectResponse,
    errors: { ...adminErrors, 400: [ErrorText.invalidParams], 404: [ErrorText.notFound] },
  }),
} as const;
