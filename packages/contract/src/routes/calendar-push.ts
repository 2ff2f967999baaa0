import { CalendarNotificationResponse, GoogleCalendarNotificationHeaders, GraphNotificationAnswer, GraphNotificationBatch, GraphNotificationQuery } from '../schemas/calendar-push.js';
import { defineRoute } from '../route.js';

const tags = ['Provider webhooks'];

/**
 * A Graph notification URL: both take the validation handshake (`?validationToken=`, echoed as
 * text) and batches authenticated by each subscription's `clientState`.
 */
function graphRoute<const Id extends string, const Path extends `/${string}`>(id: Id, path: Path, summary: string, description: string) {
  return defineRoute({
    id,
    method: 'POST',
    path,
    summary,
    description,
    tags,
    auth: 'graphClientState',
    query: GraphNotificationQuery,
    body: GraphNotificationBatch,
    status: 200,
    response: GraphNotificationAnswer,
    responseEncoding: 'text',
    errors: {},
  });
}

/**
 * What Google Calendar and Microsoft Graph call when a connected calendar changes. CareOS opens
 * the channels itself (only behind an https `CAREOS_PUBLIC_URL`), so nobody configures these
 * URLs at the provider; each notification is authenticated by the secret of the channel it names.
 */
export const calendarPushRoutes = {
  googleCalendarNotification: defineRoute({
    id: 'googleCalendarNotification',
    method: 'POST',
    path: '/webhooks/google/calendar',
    summary: 'Google Calendar push notification: a connected calendar changed',
    description:
      'Sent by Google to the watch channel CareOS opened on a staff member’s primary calendar. The channel named in ' +
      '`X-Goog-Channel-ID` must be live and `X-Goog-Channel-Token` its secret (an unknown channel gets the same 403 as a wrong ' +
      'token). `sync` (the channel opened) changes nothing; `exists` and `not_exists` schedule an incremental sync of that ' +
      'calendar, run after the answer; notifications close together make one sync.',
    tags,
    auth: 'googleChannelToken',
    headers: GoogleCalendarNotificationHeaders,
    status: 200,
    response: CalendarNotificationResponse,
    errors: {},
  }),

  microsoftCalendarNotification: graphRoute(
    'microsoftCalendarNotification',
    '/webhooks/microsoft/calendar',
    'Microsoft Graph change notifications: a connected Outlook calendar changed',
    'With `?validationToken=` (Graph validating the URL while CareOS creates the subscription): answered 200 `text/plain` ' +
      'with the token. Otherwise a batch of notifications: every item must name a live subscription with its `clientState` ' +
      '(else 403, and nothing is done); each calendar named gets an incremental sync, run after the answer (an empty 200: ' +
      'Graph takes any 2xx).',
  ),

  microsoftCalendarLifecycle: graphRoute(
    'microsoftCalendarLifecycle',
    '/webhooks/microsoft/calendar/lifecycle',
    'Microsoft Graph lifecycle notifications of a calendar subscription',
    'Validated and authenticated like the change notifications. `reauthorizationRequired` renews the subscription ' +
      '(PATCH with a new expiry), `subscriptionRemoved` creates a new one, `missed` syncs the calendar (its delta link ' +
      'lists every change since the last sync). Answered with an empty 200 before the work is done.',
  ),
} as const;
