import { z } from 'zod';
import { QueryBoolean, Timestamp } from '../common.js';

/** The calendar providers a staff member can connect. */
export const CalendarProvider = z.enum(['google', 'microsoft', 'sandbox']).meta({
  id: 'CalendarProvider',
  description: '`google` (Google Calendar), `microsoft` (Outlook, through Microsoft Graph) or `sandbox` (the reference server\'s own Google-shaped sandbox calendar, for local development)',
});
/** A calendar provider. */
export type CalendarProvider = z.infer<typeof CalendarProvider>;

/** Path parameters naming a provider. */
export const CalendarProviderParams = z.object({ provider: CalendarProvider });

/** Answer of `GET /calendar/{provider}/connect`: where to send the browser (the seed's `{ ok, authUrl }`). */
export const CalendarConnectResponse = z
  .object({
    ok: z.literal(true),
    authUrl: z.url().describe("The provider's consent page (authorization code flow with PKCE); valid for 10 minutes, once"),
    expires_at: Timestamp.describe('When the `state` in `authUrl` stops being accepted by the callback'),
  })
  .meta({ id: 'CalendarConnectResponse' });
/** A connect answer. */
export type CalendarConnectResponse = z.infer<typeof CalendarConnectResponse>;

/**
 * What the provider appends to the redirect URI: `code` and `state` on consent, `error` (and
 * `error_description`) when the user declined. Loose on purpose: the provider, not our client,
 * writes these, and a refusal must reach the page that explains it.
 */
export const CalendarCallbackQuery = z.object({
  state: z.string().min(1).max(512).describe('The single-use state issued by connect'),
  code: z.string().min(1).max(4096).optional().describe('The authorization code (absent when the user declined)'),
  error: z.string().max(256).optional().describe('The provider’s error code, e.g. `access_denied`'),
  error_description: z.string().max(2048).optional(),
  scope: z.string().max(4096).optional(),
  iss: z.string().max(512).optional(),
  session_state: z.string().max(512).optional(),
  authuser: z.string().max(64).optional(),
  prompt: z.string().max(64).optional(),
  hd: z.string().max(256).optional(),
});

/** The small HTML page the callback answers (the browser lands on it). */
export const CalendarCallbackPage = z.string().meta({ id: 'CalendarCallbackPage', description: 'An HTML page saying the calendar is connected' });

/** Whether a connected calendar works: `needs_reauth` when the provider refused its refresh token. */
export const CalendarIntegrationStatus = z.enum(['connected', 'needs_reauth']).meta({ id: 'CalendarIntegrationStatus' });

/** One connected calendar of the caller. Never carries a token. */
export const CalendarIntegration = z
  .object({
    provider: CalendarProvider,
    status: CalendarIntegrationStatus.describe('`needs_reauth`: the provider refused the stored grant (revoked, expired or password changed); connect again'),
    scopes: z.array(z.string()).describe('Scopes the provider granted'),
    connected_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'CalendarIntegration' });
/** A connected calendar. */
export type CalendarIntegration = z.infer<typeof CalendarIntegration>;

/** Answer of `GET /calendar/integrations`. */
export const CalendarIntegrationList = z.object({ ok: z.literal(true), integrations: z.array(CalendarIntegration) }).meta({ id: 'CalendarIntegrationList' });

/** Answer of `DELETE /calendar/integrations/{provider}`. */
export const CalendarDisconnectResponse = z
  .object({
    ok: z.literal(true),
    provider: CalendarProvider,
    revoked_at_provider: z
      .boolean()
      .describe(
        'Google and the sandbox: the grant was revoked at the provider. Microsoft has no revocation endpoint for this flow: always `false` (the tokens are deleted here; the user removes the app at myapps.microsoft.com)',
      ),
  })
  .meta({ id: 'CalendarDisconnectResponse' });

/** The longest window `GET /calendar/events` answers, in days. */
export const CALENDAR_EVENTS_MAX_DAYS = 62;

/** Query of `GET /calendar/events`: the window, at most 62 days. */
export const CalendarEventsQuery = z
  .object({
    from: Timestamp.describe('Start of the window (events ending after it are included)'),
    to: Timestamp.describe(`End of the window (events starting before it are included); at most ${CALENDAR_EVENTS_MAX_DAYS} days after \`from\``),
    sync: QueryBoolean.optional().describe('`true`: sync each connected calendar first (incremental; waits for a sync already running) instead of reading what the background sync last stored'),
  })
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), { message: 'Must be after from', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= CALENDAR_EVENTS_MAX_DAYS * 86_400_000, { message: `The window is at most ${CALENDAR_EVENTS_MAX_DAYS} days`, path: ['to'] });

/** Someone invited to an event. */
export const CalendarEventAttendee = z
  .object({
    email: z.string(),
    name: z.string().nullable(),
    response: z.enum(['accepted', 'declined', 'tentative', 'needs_action']),
  })
  .meta({ id: 'CalendarEventAttendee' });

/** Where an event was seen: the calendar and the provider's id of it there. */
export const CalendarEventSource = z
  .object({ provider: CalendarProvider, event_id: z.string().describe("The provider's id of the event (of its series, for an occurrence)") })
  .meta({ id: 'CalendarEventSource' });

/** One event (or one occurrence of a recurring series) on the caller's calendars. */
export const CalendarEvent = z
  .object({
    id: z.string().describe('Stable id of this event or occurrence in CareOS answers (`<provider>:<event id>[:<occurrence start>]`)'),
    title: z.string().nullable(),
    description: z.string().nullable(),
    location: z.string().nullable(),
    organizer: z.string().nullable().describe('Organizer email'),
    attendees: z.array(CalendarEventAttendee),
    start: Timestamp,
    end: Timestamp,
    time_zone: z.string().describe('IANA zone the event was written in'),
    all_day: z.boolean().describe('All-day: `start` and `end` are midnight UTC of its first day and of the day after its last'),
    busy: z.boolean().describe('Whether the time shows as busy'),
    status: z.enum(['confirmed', 'tentative']),
    recurring: z.boolean().describe('An occurrence of a recurring series'),
    providers: z.array(CalendarEventSource).min(1).describe('Every connected calendar the event is on: the same invitation (one iCalendar UID) seen through Google and Outlook is listed once'),
  })
  .meta({ id: 'CalendarEvent' });
/** An event. */
export type CalendarEvent = z.infer<typeof CalendarEvent>;

/** Where one connected calendar's sync stands. */
export const CalendarSyncState = z
  .object({
    provider: CalendarProvider,
    status: CalendarIntegrationStatus,
    last_synced_at: Timestamp.nullable().describe('When its events were last brought up to date (null: never yet)'),
    last_error: z.string().nullable().describe('Short code of the last failed sync, null after a success'),
  })
  .meta({ id: 'CalendarSyncState' });

/** Answer of `GET /calendar/events`. */
export const CalendarEventList = z
  .object({
    ok: z.literal(true),
    from: Timestamp,
    to: Timestamp,
    events: z.array(CalendarEvent).describe('In start order; recurring series expanded into the window'),
    calendars: z.array(CalendarSyncState).describe('The calendars read, with how fresh each is'),
  })
  .meta({ id: 'CalendarEventList' });
/** An events answer. */
export type CalendarEventList = z.infer<typeof CalendarEventList>;
