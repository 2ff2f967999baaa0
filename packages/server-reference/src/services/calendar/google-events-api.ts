import { isTimeZone } from '@careos/contract';
import { CalendarTransport, type TransportOptions } from './api-transport.js';
import { FullSyncRequired, type CalendarEventsApi, type EventAttendee, type EventInput, type EventPage, type ListPageInput, type RemoteEvent } from './events-api.js';
import type { EventsApiAuth } from './events-api.js';

/** Google's largest page of `events.list`. */
const MAX_PAGE = 2500;

/** The private extended property holding {@link EventInput.key} (visible to our OAuth client only). */
export const KEY_PROPERTY = 'careosKey';

/** A Google `EventDateTime`. */
interface GoogleTime {
  date?: string;
  dateTime?: string;
  timeZone?: string;
}

/** The fields of a Google `Event` the sync reads. */
export interface GoogleEvent {
  id: string;
  status?: string;
  iCalUID?: string;
  summary?: string;
  description?: string;
  location?: string;
  start?: GoogleTime;
  end?: GoogleTime;
  recurrence?: string[];
  recurringEventId?: string;
  originalStartTime?: GoogleTime;
  transparency?: string;
  updated?: string;
  organizer?: { email?: string; displayName?: string };
  attendees?: { email?: string; displayName?: string; responseStatus?: string }[];
}

const RESPONSES: Record<string, EventAttendee['response']> = { accepted: 'accepted', declined: 'declined', tentative: 'tentative', needsAction: 'needs_action' };

/** An instant of a Google time (an all-day `date` is midnight UTC of that day). */
function instant(time: GoogleTime | undefined): Date | null {
  if (time?.dateTime) return new Date(time.dateTime);
  if (time?.date) return new Date(`${time.date}T00:00:00.000Z`);
  return null;
}

/** A Google event as a {@link RemoteEvent}, or `null` when it is a deletion (cancelled, not an occurrence of a series). */
export function fromGoogle(event: GoogleEvent, calendarZone: string): RemoteEvent | null {
  const cancelled = event.status === 'cancelled';
  const originalStart = instant(event.originalStartTime);
  if (cancelled && !(event.recurringEventId && originalStart)) return null;
  const start = instant(event.start) ?? originalStart!;
  const end = instant(event.end) ?? start;
  const zone = event.start?.timeZone ?? event.originalStartTime?.timeZone ?? calendarZone;
  return {
    id: event.id,
    icalUid: event.iCalUID ?? null,
    kind: event.recurringEventId ? 'exception' : event.recurrence?.length ? 'master' : 'single',
    status: cancelled ? 'cancelled' : event.status === 'tentative' ? 'tentative' : 'confirmed',
    seriesId: event.recurringEventId ?? null,
    originalStart,
    start,
    end: end < start ? start : end,
    timeZone: isTimeZone(zone) ? zone : 'UTC',
    allDay: Boolean(event.start?.date ?? (cancelled && event.originalStartTime?.date)),
    busy: event.transparency !== 'transparent',
    recurrence: event.recurrence?.length ? event.recurrence : null,
    details: {
      title: event.summary ?? null,
      description: event.description ?? null,
      location: event.location ?? null,
      organizer: event.organizer?.email ?? null,
      attendees: (event.attendees ?? [])
        .filter((a) => a.email)
        .map((a) => ({ email: a.email!, name: a.displayName ?? null, response: RESPONSES[a.responseStatus ?? ''] ?? 'needs_action' })),
    },
    updatedAt: event.updated ? new Date(event.updated) : null,
  };
}

/** The body of an insert or patch. */
export function toGoogle(input: Partial<EventInput>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (input.title !== undefined) body.summary = input.title;
  if (input.description !== undefined) body.description = input.description;
  if (input.location !== undefined) body.location = input.location;
  if (input.start) body.start = { dateTime: input.start.toISOString(), timeZone: input.timeZone ?? 'UTC' };
  if (input.end) body.end = { dateTime: input.end.toISOString(), timeZone: input.timeZone ?? 'UTC' };
  if (input.attendees) body.attendees = input.attendees.map((a) => ({ email: a.email, ...(a.name ? { displayName: a.name } : {}) }));
  if (input.busy !== undefined) body.transparency = input.busy ? 'opaque' : 'transparent';
  if (input.key !== undefined) body.extendedProperties = { private: { [KEY_PROPERTY]: input.key } };
  return body;
}

/**
 * The Google Calendar API v3 on the staff member's primary calendar. A full pass lists every
 * event with `showDeleted=true` and `singleEvents=false` (series come as one master with their
 * RRULEs, changed or cancelled occurrences as exceptions naming it); its last page carries
 * `nextSyncToken`, and listing with that token returns only what changed since. Google answers
 * 410 (`fullSyncRequired`) when the token has expired, also on a later page of a pass.
 */
export class GoogleEventsApi implements CalendarEventsApi {
  protected readonly http: CalendarTransport;
  /** The primary calendar's events collection. */
  protected readonly events: string;

  /**
   * @param apiBaseUrl the origin (and any path) before `/calendar/v3`
   * @param provider `sandbox` for the reference server's own calendar, which speaks this API
   */
  constructor(
    apiBaseUrl: string,
    auth: EventsApiAuth,
    options: TransportOptions = {},
    readonly provider: 'google' | 'sandbox' = 'google',
  ) {
    this.http = new CalendarTransport(provider, auth, options);
    this.events = `${apiBaseUrl.replace(/\/$/, '')}/calendar/v3/calendars/primary/events`;
  }

  async listPage(input: ListPageInput): Promise<EventPage> {
    const url = new URL(this.events);
    url.searchParams.set('maxResults', String(Math.min(input.pageSize ?? 250, MAX_PAGE)));
    url.searchParams.set('singleEvents', 'false');
    url.searchParams.set('showDeleted', 'true');
    if (input.cursor) url.searchParams.set('syncToken', input.cursor);
    if (input.page) url.searchParams.set('pageToken', input.page);
    const answer = await this.http.call('GET', url.toString());
    if (answer.status === 410) throw new FullSyncRequired('google');
    if (answer.status !== 200) throw this.http.fail(answer);
    const zone = typeof answer.body.timeZone === 'string' ? answer.body.timeZone : 'UTC';
    const page: EventPage = {
      events: [],
      removed: [],
      nextPage: typeof answer.body.nextPageToken === 'string' ? answer.body.nextPageToken : null,
      cursor: typeof answer.body.nextSyncToken === 'string' ? answer.body.nextSyncToken : null,
    };
    for (const item of (answer.body.items ?? []) as GoogleEvent[]) {
      if (typeof item?.id !== 'string') continue;
      const event = fromGoogle(item, zone);
      if (event) page.events.push(event);
      else page.removed.push({ id: item.id });
    }
    return page;
  }

  async createEvent(input: EventInput): Promise<RemoteEvent> {
    return this.insert(toGoogle(input), input.timeZone);
  }

  /** `events.insert` of a body already in Google's shape. */
  protected async insert(body: Record<string, unknown>, timeZone: string): Promise<RemoteEvent> {
    const answer = await this.http.call('POST', this.events, body);
    if (answer.status !== 200 && answer.status !== 201) throw this.http.fail(answer);
    return fromGoogle(answer.body as unknown as GoogleEvent, timeZone)!;
  }

  async updateEvent(id: string, input: Partial<EventInput>): Promise<RemoteEvent> {
    const answer = await this.http.call('PATCH', `${this.events}/${encodeURIComponent(id)}`, toGoogle(input));
    if (answer.status !== 200) throw this.http.fail(answer);
    return fromGoogle(answer.body as unknown as GoogleEvent, input.timeZone ?? 'UTC')!;
  }

  async findByKey(key: string): Promise<RemoteEvent | null> {
    const url = new URL(this.events);
    url.searchParams.set('privateExtendedProperty', `${KEY_PROPERTY}=${key}`);
    url.searchParams.set('maxResults', '1');
    const answer = await this.http.call('GET', url.toString());
    if (answer.status !== 200) throw this.http.fail(answer);
    const zone = typeof answer.body.timeZone === 'string' ? answer.body.timeZone : 'UTC';
    // Without showDeleted Google lists live events only.
    const [item] = ((answer.body.items ?? []) as GoogleEvent[]).filter((e) => typeof e?.id === 'string' && e.status !== 'cancelled');
    return item ? fromGoogle(item, zone) : null;
  }

  async deleteEvent(id: string): Promise<void> {
    const answer = await this.http.call('DELETE', `${this.events}/${encodeURIComponent(id)}`);
    // 410 "Resource has been deleted", 404: already gone, which is what was asked.
    if (answer.status === 204 || answer.status === 200 || answer.status === 404 || answer.status === 410) return;
    throw this.http.fail(answer);
  }
}
