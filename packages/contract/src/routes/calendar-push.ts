import { CalendarNotificationResponse, GoogleCalendarNotificationHeaders } from '../schemas/calendar-push.js';
import { defineRoute } from '../route.js';

const tags = ['Provider webhooks'];

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
} as const;
