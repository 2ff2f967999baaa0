import { isTimeZone } from '@careos/contract';
import { instantOf, wallTime } from '../../domain/quiet-hours.js';
import { CalendarTransport, errorReason, type TransportOptions } from './api-transport.js';
import { CalendarApiError, FullSyncRequired, type CalendarEventsApi, type EventAttendee, type EventInput, type EventPage, type EventsApiAuth, type ListPageInput, type RemoteEvent } from './events-api.js';

/** Graph's `dateTimeTimeZone`. */
interface GraphTime {
  dateTime?: string;
  timeZone?: string;
}

/** The fields of a Graph `event` the sync reads. */
interface GraphEvent {
  id: string;
  '@removed'?: { reason?: string };
  iCalUId?: string;
  type?: string;
  seriesMasterId?: string;
  subject?: string;
  bodyPreview?: string;
  body?: { contentType?: string; content?: string };
  location?: { displayName?: string };
  start?: GraphTime;
  end?: GraphTime;
  originalStartTimeZone?: string;
  isAllDay?: boolean;
  isCancelled?: boolean;
  showAs?: string;
  lastModifiedDateTime?: string;
  organizer?: { emailAddress?: { address?: string } };
  attendees?: { emailAddress?: { address?: string; name?: string }; status?: { response?: string } }[];
}

/** Windows zone names Outlook reports most often, as IANA (CLDR's mapping, the zones' main cities). */
const WINDOWS_ZONES: Record<string, string> = {
  'UTC': 'UTC',
  'GMT Standard Time': 'Europe/London',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Romance Standard Time': 'Europe/Paris',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Eastern Standard Time': 'America/New_York',
  'Central Standard Time': 'America/Chicago',
  'Mountain Standard Time': 'America/Denver',
  'US Mountain Standard Time': 'America/Phoenix',
  'Pacific Standard Time': 'America/Los_Angeles',
  'Alaskan Standard Time': 'America/Anchorage',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Atlantic Standard Time': 'America/Halifax',
  'India Standard Time': 'Asia/Kolkata',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'AUS Eastern Standard Time': 'Australia/Sydney',
};

/** An IANA zone for what Graph names (IANA already, or a Windows name), `UTC` when unknown. */
export function ianaZone(name: string | undefined): string {
  if (!name) return 'UTC';
  if (WINDOWS_ZONES[name]) return WINDOWS_ZONES[name];
  return isTimeZone(name) && name.includes('/') ? name : 'UTC';
}

/** An instant of a Graph time: UTC when it says so (we ask for `outlook.timezone="UTC"`), else its wall time in its zone. */
function instant(time: GraphTime | undefined): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/.exec(time?.dateTime ?? '');
  if (!match) return time?.dateTime ? new Date(time.dateTime) : null;
  const [, y, mo, d, h, mi, s] = match;
  const zone = ianaZone(time?.timeZone);
  if (zone === 'UTC') return new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +(s ?? 0)));
  return new Date(instantOf(+y!, +mo!, +d!, +h! * 60 + +mi!, zone).getTime() + +(s ?? 0) * 1000);
}

const RESPONSES: Record<string, EventAttendee['response']> = { accepted: 'accepted', declined: 'declined', tentativelyAccepted: 'tentative', notResponded: 'needs_action', none: 'needs_action', organizer: 'accepted' };

/**
 * A Graph event as a {@link RemoteEvent}, or `null` when it reports a deletion (`@removed`,
 * or cancelled by its organizer). The calendar view already expands series, so occurrences and
 * exceptions arrive as events of their own (`single`, naming their series).
 */
export function fromGraph(event: GraphEvent): RemoteEvent | null {
  if (event['@removed'] || event.isCancelled || event.type === 'seriesMaster') return null;
  const start = instant(event.start);
  if (!start) return null;
  const end = instant(event.end) ?? start;
  return {
    id: event.id,
    icalUid: event.iCalUId ?? null,
    kind: 'single',
    status: event.showAs === 'tentative' ? 'tentative' : 'confirmed',
    seriesId: event.seriesMasterId ?? null,
    originalStart: null,
    start,
    end: end < start ? start : end,
    timeZone: ianaZone(event.originalStartTimeZone),
    allDay: Boolean(event.isAllDay),
    busy: event.showAs !== 'free' && event.showAs !== 'workingElsewhere',
    recurrence: null,
    details: {
      title: event.subject ?? null,
      description: event.body?.contentType === 'text' ? (event.body.content ?? null) : (event.bodyPreview ?? null),
      location: event.location?.displayName || null,
      organizer: event.organizer?.emailAddress?.address ?? null,
      attendees: (event.attendees ?? [])
        .filter((a) => a.emailAddress?.address)
        .map((a) => ({ email: a.emailAddress!.address!, name: a.emailAddress!.name ?? null, response: RESPONSES[a.status?.response ?? ''] ?? 'needs_action' })),
    },
    updatedAt: event.lastModifiedDateTime ? new Date(event.lastModifiedDateTime) : null,
  };
}

/** A Graph `dateTimeTimeZone` for an instant: its wall time in `zone` (so Outlook shows the event in the zone it was made in). */
function graphTime(at: Date, zone: string): GraphTime {
  const wall = wallTime(at.getTime(), zone);
  const pad = (n: number) => String(n).padStart(2, '0');
  const seconds = pad(at.getUTCSeconds());
  return { dateTime: `${wall.year}-${pad(wall.month)}-${pad(wall.day)}T${pad(Math.floor(wall.minutes / 60))}:${pad(wall.minutes % 60)}:${seconds}`, timeZone: zone };
}

/** The body of a create or patch. */
function toGraph(input: Partial<EventInput>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const zone = input.timeZone ?? 'UTC';
  if (input.title !== undefined) body.subject = input.title;
  if (input.description !== undefined) body.body = { contentType: 'text', content: input.description ?? '' };
  if (input.location !== undefined) body.location = { displayName: input.location ?? '' };
  if (input.start) body.start = graphTime(input.start, zone);
  if (input.end) body.end = graphTime(input.end, zone);
  if (input.attendees) body.attendees = input.attendees.map((a) => ({ emailAddress: { address: a.email, ...(a.name ? { name: a.name } : {}) }, type: 'required' }));
  if (input.busy !== undefined) body.showAs = input.busy ? 'busy' : 'free';
  if (input.key !== undefined) {
    body.singleValueExtendedProperties = [{ id: KEY_PROPERTY_ID, value: input.key }];
    // Graph also drops a second POST with the same transactionId (a retry of a create it already made).
    body.transactionId = input.key;
  }
  return body;
}

/**
 * The single-value extended property holding {@link EventInput.key}: a string property in a
 * property set of our own (a fixed GUID), named `careosKey`.
 */
export const KEY_PROPERTY_ID = 'String {4f0f7c2e-8d1a-4b6e-9c3d-5a7e2b1f6c80} Name careosKey';

/** Graph's error codes for a delta token it no longer has. */
const RESYNC_CODES = new Set(['syncstatenotfound', 'resyncrequired', 'syncstateinvalid']);

/**
 * Microsoft Graph's calendar view delta (`/me/calendarView/delta`) over a window fixed by the
 * first page of a full pass: pages follow `@odata.nextLink`, the last carries
 * `@odata.deltaLink`, which is the cursor; deletions come as `@removed`. An expired delta
 * state is a 410 (`syncStateNotFound`), also on a later page. Links are only followed on the
 * configured Graph origin, so a forged cursor cannot send the token elsewhere.
 */
export class GraphEventsApi implements CalendarEventsApi {
  readonly provider = 'microsoft' as const;
  readonly #http: CalendarTransport;
  readonly #origin: string;

  constructor(graphBaseUrl: string, auth: EventsApiAuth, options: TransportOptions = {}) {
    this.#http = new CalendarTransport('microsoft', auth, options);
    this.#origin = graphBaseUrl.replace(/\/$/, '');
  }

  #link(link: string): string {
    if (new URL(link).origin !== new URL(this.#origin).origin) throw new CalendarApiError('microsoft', 0, 'foreign_link');
    return link;
  }

  async listPage(input: ListPageInput): Promise<EventPage> {
    let url: string;
    if (input.page) url = this.#link(input.page);
    else if (input.cursor) url = this.#link(input.cursor);
    else {
      const first = new URL(`${this.#origin}/v1.0/me/calendarView/delta`);
      first.searchParams.set('startDateTime', input.window.from.toISOString());
      first.searchParams.set('endDateTime', input.window.to.toISOString());
      url = first.toString();
    }
    const answer = await this.#http.call('GET', url, undefined, { prefer: `odata.maxpagesize=${input.pageSize ?? 250}, outlook.timezone="UTC"` });
    if (answer.status === 410 || RESYNC_CODES.has(errorReason(answer.body).toLowerCase())) throw new FullSyncRequired('microsoft');
    if (answer.status !== 200) throw this.#http.fail(answer);
    const page: EventPage = {
      events: [],
      removed: [],
      nextPage: typeof answer.body['@odata.nextLink'] === 'string' ? answer.body['@odata.nextLink'] : null,
      cursor: typeof answer.body['@odata.deltaLink'] === 'string' ? answer.body['@odata.deltaLink'] : null,
    };
    for (const item of (answer.body.value ?? []) as GraphEvent[]) {
      if (typeof item?.id !== 'string') continue;
      const event = fromGraph(item);
      if (event) page.events.push(event);
      else page.removed.push({ id: item.id });
    }
    return page;
  }

  async createEvent(input: EventInput): Promise<RemoteEvent> {
    const answer = await this.#http.call('POST', `${this.#origin}/v1.0/me/events`, toGraph(input), { prefer: 'outlook.timezone="UTC"' });
    if (answer.status !== 201 && answer.status !== 200) throw this.#http.fail(answer);
    return fromGraph(answer.body as unknown as GraphEvent)!;
  }

  async updateEvent(id: string, input: Partial<EventInput>): Promise<RemoteEvent> {
    const answer = await this.#http.call('PATCH', `${this.#origin}/v1.0/me/events/${encodeURIComponent(id)}`, toGraph(input), { prefer: 'outlook.timezone="UTC"' });
    if (answer.status !== 200) throw this.#http.fail(answer);
    return fromGraph(answer.body as unknown as GraphEvent)!;
  }

  async findByKey(key: string): Promise<RemoteEvent | null> {
    const url = new URL(`${this.#origin}/v1.0/me/events`);
    url.searchParams.set('$filter', `singleValueExtendedProperties/Any(ep: ep/id eq '${KEY_PROPERTY_ID}' and ep/value eq '${key.replace(/'/g, "''")}')`);
    url.searchParams.set('$top', '1');
    const answer = await this.#http.call('GET', url.toString(), undefined, { prefer: 'outlook.timezone="UTC"' });
    if (answer.status !== 200) throw this.#http.fail(answer);
    const [item] = ((answer.body.value ?? []) as GraphEvent[]).filter((e) => typeof e?.id === 'string');
    return item ? fromGraph(item) : null;
  }

  async deleteEvent(id: string): Promise<void> {
    const answer = await this.#http.call('DELETE', `${this.#origin}/v1.0/me/events/${encodeURIComponent(id)}`);
    if (answer.status === 204 || answer.status === 200 || answer.status === 404) return;
    throw this.#http.fail(answer);
  }
}
