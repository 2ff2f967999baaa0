import type { CalendarProvider } from '@careos/contract';

/**
 * The provider-neutral face of a calendar's events API (Google Calendar v3, Microsoft Graph):
 * what the sync reads page by page and what the write side creates, moves and deletes. The
 * implementations (`google-events-api.ts`, `graph-events-api.ts`) translate to and from each
 * provider's shapes; nothing above them sees a provider's JSON.
 */

/** Who attends an event (PHI: sealed with the event's details). */
export interface EventAttendee {
  email: string;
  name: string | null;
  /** The provider's answer, normalised: `accepted`, `declined`, `tentative` or `needs_action`. */
  response: 'accepted' | 'declined' | 'tentative' | 'needs_action';
}

/** What an event says: PHI, sealed at rest, shown only to the staff member whose calendar it is. */
export interface EventDetails {
  title: string | null;
  description: string | null;
  location: string | null;
  organizer: string | null;
  attendees: EventAttendee[];
}

/** One event as a provider holds it. */
export interface RemoteEvent {
  /** The provider's id. */
  id: string;
  /** The iCalendar UID (the same across providers for one invitation). */
  icalUid: string | null;
  /**
   * `single` (one event, or an occurrence a provider already expanded), `master` (a series with
   * `recurrence`) or `exception` (one changed or cancelled occurrence of a master).
   */
  kind: 'single' | 'master' | 'exception';
  /** `cancelled` only for an exception: that occurrence was deleted. */
  status: 'confirmed' | 'tentative' | 'cancelled';
  /** For an exception (or an expanded occurrence): the provider id of the series. */
  seriesId: string | null;
  /** For an exception: the start of the occurrence it replaces. */
  originalStart: Date | null;
  start: Date;
  end: Date;
  /** IANA zone the event was written in (`UTC` when the provider names none it can map). */
  timeZone: string;
  allDay: boolean;
  busy: boolean;
  /** A master's RFC 5545 lines (`RRULE:`, `EXDATE`, `RDATE`). */
  recurrence: string[] | null;
  details: EventDetails;
  updatedAt: Date | null;
}

/** An event the provider reports gone (Google `status: cancelled`, Graph `@removed`). */
export interface RemovedEvent {
  id: string;
}

/** One page of a listing. */
export interface EventPage {
  events: RemoteEvent[];
  removed: RemovedEvent[];
  /** Opaque position of the next page (Google `pageToken`, Graph `@odata.nextLink`); null on the last. */
  nextPage: string | null;
  /** The cursor for the next incremental pass (Google `nextSyncToken`, Graph `@odata.deltaLink`); only on the last page. */
  cursor: string | null;
}

/** What to list: a page of a full pass (no cursor) or of an incremental one. */
export interface ListPageInput {
  /** The cursor of the last complete pass; null for a full pass. */
  cursor: string | null;
  /** The `nextPage` of the previous page of this pass. */
  page: string | null;
  /**
   * The window of a full pass, for providers whose incremental API is bound to one (Graph's
   * calendar view); Google lists the whole calendar.
   */
  window: { from: Date; to: Date };
  /** Events per page asked for (providers may answer fewer). */
  pageSize?: number;
}

/** An event to create or the changes to make to one. */
export interface EventInput {
  title: string;
  description?: string | null;
  location?: string | null;
  start: Date;
  end: Date;
  /** IANA zone to write the event in (times are still instants). */
  timeZone: string;
  attendees?: { email: string; name?: string | null }[];
  /** Default true. */
  busy?: boolean;
  /**
   * An identifier of ours the event carries privately (Google: a private extended property;
   * Graph: a single-value extended property), so that {@link CalendarEventsApi.findByKey} can
   * find it after a create whose answer was lost. Set on create only.
   */
  key?: string;
}

/** The events API of one connected calendar. */
export interface CalendarEventsApi {
  readonly provider: CalendarProvider;
  /**
   * One page of a full or incremental listing.
   *
   * @throws {@link FullSyncRequired} when the provider no longer honours the cursor (or a page
   * position of an incremental pass): the caller starts a full pass.
   * @throws {@link CalendarApiError} on any other failure.
   */
  listPage(input: ListPageInput): Promise<EventPage>;
  /** Creates an event on the primary calendar. */
  createEvent(input: EventInput): Promise<RemoteEvent>;
  /** Changes an event (only the fields given, but `start`/`end`/`timeZone` go together). */
  updateEvent(id: string, input: Partial<EventInput>): Promise<RemoteEvent>;
  /** Deletes an event; an event already gone counts as deleted. */
  deleteEvent(id: string): Promise<void>;
  /** The live event created with `key` ({@link EventInput.key}), or null when there is none. */
  findByKey(key: string): Promise<RemoteEvent | null>;
}

/** The provider no longer honours the sync cursor (Google 410 `fullSyncRequired`, Graph 410 `syncStateNotFound`). */
export class FullSyncRequired extends Error {
  override readonly name = 'FullSyncRequired';
  constructor(readonly provider: CalendarProvider) {
    super(`The ${provider} calendar must be listed again in full`);
  }
}

/**
 * A call to the events API failed: `status` is the provider's HTTP status (0 when it could not
 * be reached), `code` its error reason or a network error code — never a message, which could
 * quote the calendar's data.
 */
export class CalendarApiError extends Error {
  override readonly name = 'CalendarApiError';
  constructor(
    readonly provider: CalendarProvider,
    readonly status: number,
    readonly code: string,
  ) {
    super(`The ${provider} calendar API answered ${status || 'nothing'} (${code})`);
  }
}

/** Access tokens for the calls: the current one, and a new one after the provider refused it. */
export interface EventsApiAuth {
  token(): Promise<string>;
  /** A token other than `rejected` (refreshed once, or the one another caller just stored). */
  renew(rejected: string): Promise<string>;
}
