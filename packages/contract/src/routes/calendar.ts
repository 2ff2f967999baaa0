import { ErrorText } from '../errors.js';
import {
  CalendarCallbackPage,
  type CalendarProvider,
  CalendarCallbackQuery,
  CalendarConnectResponse,
  CalendarDisconnectResponse,
  CalendarEventList,
  CalendarEventsQuery,
  CalendarIntegrationList,
  CalendarProviderParams,
} from '../schemas/calendar.js';
import { CreateCalendarEventRequest, CreateCalendarEventResponse } from '../schemas/calendar-event-write.js';
import { defineRoute } from '../route.js';
import { adminErrors } from './shared.js';

const tags = ['Calendars'] as const;
const notConfigured = { 503: [ErrorText.calendarNotConfigured] } as const;

const CALLBACK_DESCRIPTION =
  'No bearer token: the single-use `state` authenticates the call. The code is exchanged with the stored PKCE verifier and the tokens ' +
  'stored encrypted; the answer is a small HTML page. A replayed, expired or unknown state, or one issued for another provider, ' +
  'gets 400 `INVALID_OAUTH_STATE` and changes nothing. A declined consent gets 400 `OAUTH_DECLINED`, a callback without a valid code or a code the provider refuses ' +
  '400 `OAUTH_FAILED` (the state is spent either way). Every outcome is audited.';

/** `GET /calendar/{provider}/connect` for one provider (a path per provider, as the seed's Settings page calls them). */
function connectRoute<const Id extends string, const P extends CalendarProvider>(id: Id, provider: P, summary: string, description: string) {
  return defineRoute({
    id,
    method: 'GET',
    path: `/calendar/${provider}/connect`,
    summary,
    description,
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    status: 200,
    response: CalendarConnectResponse,
    errors: { ...adminErrors, ...notConfigured },
  });
}

/** `GET /calendar/{provider}/callback` for one provider: where its consent page sends the browser back. */
function callbackRoute<const Id extends string, const P extends CalendarProvider>(id: Id, provider: P, summary: string) {
  return defineRoute({
    id,
    method: 'GET',
    path: `/calendar/${provider}/callback`,
    summary,
    description: CALLBACK_DESCRIPTION,
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
  });
}

/**
 * Calendars (the seed's Google and Microsoft OAuth connection, and the reference server's own
 * sandbox provider): each staff member connects their own calendars. Connect issues a single-use,
 * 10-minute `state` bound to the caller and provider, with a PKCE (S256) verifier kept
 * server-side; the provider sends the browser back to the callback, which the state alone
 * authenticates. Tokens are stored encrypted and never returned.
 */
export const calendarRoutes = {
  connectGoogleCalendar: connectRoute(
    'connectGoogleCalendar',
    'google',
    'Start connecting your Google Calendar: answers the consent URL to send the browser to',
    'Authorization code flow with PKCE (S256). The URL carries a single-use `state`, valid 10 minutes, that binds the consent to you. ' +
      '503 `NOT_CONFIGURED` when `GOOGLE_CLIENT_ID`, `GOOGLE_CLIENT_SECRET` or `GOOGLE_REDIRECT_URI` is not set.',
  ),
  connectMicrosoftCalendar: connectRoute(
    'connectMicrosoftCalendar',
    'microsoft',
    'Start connecting your Outlook calendar: answers the consent URL to send the browser to',
    'As for Google, at the Microsoft identity platform (`MICROSOFT_TENANT`, default `common`). 503 `NOT_CONFIGURED` when ' +
      '`MICROSOFT_CLIENT_ID`, `MICROSOFT_CLIENT_SECRET` or `MICROSOFT_REDIRECT_URI` is not set.',
  ),
  connectSandboxCalendar: connectRoute(
    'connectSandboxCalendar',
    'sandbox',
    'Start connecting the sandbox calendar (local development): answers the URL of the server’s own consent page',
    'As for Google, against the authorization server the reference server itself serves under `/sandbox/calendar/oauth` (its client id, ' +
      'secret and redirect URI derive from `CAREOS_PUBLIC_URL` or the listening address). A new sandbox calendar comes with a few demo events. ' +
      '503 `NOT_CONFIGURED` unless the server runs with `--seed demo` or `CAREOS_CALENDAR_SANDBOX=1`.',
  ),
  googleCalendarCallback: callbackRoute('googleCalendarCallback', 'google', 'Where Google returns the browser after consent (register it as `GOOGLE_REDIRECT_URI`)'),
  microsoftCalendarCallback: callbackRoute('microsoftCalendarCallback', 'microsoft', 'Where Microsoft returns the browser after consent (register it as `MICROSOFT_REDIRECT_URI`)'),
  sandboxCalendarCallback: callbackRoute('sandboxCalendarCallback', 'sandbox', 'Where the sandbox consent page returns the browser (nothing to register: the server knows its own address)'),

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
      'Google and the sandbox: the refresh token is revoked at the provider (a failure there is reported as `revoked_at_provider: false` and the tokens are ' +
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
  createCalendarEvent: defineRoute({
    id: 'createCalendarEvent',
    method: 'POST',
    path: '/calendar/events',
    summary: 'Create an event on one of your connected calendars, optionally linked to a contact',
    description:
      'Written at the provider at once (the answer is what the provider stored) and kept here straight away, so it is listed and its ' +
      'busy time blocks bookings before the next sync. With `client_id` the event is linked to that contact. The title, description, ' +
      'location and attendees are stored encrypted and never logged. 409 `CALENDAR_NOT_CONNECTED` when that calendar is not connected, ' +
      '409 `CALENDAR_NEEDS_REAUTH` when the provider refused its grant (connect it again), 422 `CALENDAR_EVENT_REFUSED` when the ' +
      'provider refused the event itself (e.g. an attendee address it rejects), 503 `PROVIDER_UNAVAILABLE` when it could not be reached ' +
      'or kept failing (the event may or may not exist there: list your events before trying again), 503 `NOT_CONFIGURED` when the ' +
      "provider's client is not configured. An unknown `client_id` is 400 `Contact or staff member not found`.",
    tags,
    auth: 'staffJwt',
    roles: ['admin', 'staff'],
    body: CreateCalendarEventRequest,
    status: 201,
    response: CreateCalendarEventResponse,
    errors: {
      ...adminErrors,
      400: [ErrorText.invalidBody, ErrorText.malformedJson, ErrorText.unknownReference],
      409: [ErrorText.calendarNotConnected, ErrorText.calendarNeedsReauth],
      422: [ErrorText.calendarEventRefused],
      503: [ErrorText.calendarNotConfigured, ErrorText.calendarProviderUnavailable],
    },
  }),
} as const;
