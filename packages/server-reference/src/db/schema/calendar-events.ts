import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { bookings } from './bookings.js';
import { calendarIntegrations } from './calendar.js';
import { blindIndex, encrypted, ts } from './columns.js';
import { staffUsers } from './staff.js';
import { users } from './users.js';

/**
 * Events copied from a connected calendar by the sync (the seed's `synced_calendar_events`), one
 * row per provider event: a single event, a recurring series' master (its `recurrence` rules,
 * expanded when read) or one changed or cancelled occurrence of a series (an exception, naming the
 * master and the occurrence it replaces). What the event says — title, description, location,
 * organizer and attendees — is PHI (a title is often a client's name) and is sealed as one JSON
 * value; times are UTC instants with the event's IANA zone beside them.
 */
export const syncedCalendarEvents = pgTable(
  'synced_calendar_events',
  {
    id: text('id').primaryKey(),
    integrationId: text('integration_id')
      .notNull()
      .references(() => calendarIntegrations.id, { onDelete: 'cascade' }),
    staffId: text('staff_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    /** `google` or `microsoft` (the integration's, kept here so reads need no join). */
    provider: text('provider').notNull(),
    /** The provider's id of the event (unique within the integration). */
    providerEventId: text('provider_event_id').notNull(),
    /**
     * Blind index of the iCalendar UID: the same meeting seen through both of a staff member's
     * calendars has one UID, so reads show it once. A keyed HMAC because some UIDs embed addresses.
     */
    icalUidBidx: blindIndex('ical_uid_bidx'),
    /** `single`, `master` (a recurring series) or `exception` (one changed or cancelled occurrence). */
    kind: text('kind').notNull(),
    /** `confirmed`, `tentative`, or `cancelled` (kept only for an exception: a deleted occurrence). */
    status: text('status').notNull(),
    /** For an exception: the provider id of its series' master. */
    seriesEventId: text('series_event_id'),
    /** For an exception: the start of the occurrence it replaces (its key within the series). */
    originalStartsAt: ts('original_starts_at'),
    /** `{ title, description, location, organizer, attendees: [{ email, name, response }] }`, sealed. */
    detailsEnc: encrypted('details_enc').notNull(),
    /** Start (for a master, of its first occurrence) and end, UTC; an all-day event runs midnight to midnight UTC of its dates. */
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    /** The IANA zone the event was written in (its recurrence is expanded there). */
    timeZone: text('time_zone').notNull(),
    allDay: boolean('all_day').notNull(),
    /** Whether the time shows as busy (Google `transparency`, Graph `showAs`). */
    busy: boolean('busy').notNull(),
    /** A master's recurrence as RFC 5545 lines (`RRULE:…`, `EXDATE…`, `RDATE…`), JSON array. Null otherwise. */
    recurrence: text('recurrence'),
    /** A master's last possible occurrence start (null: no end), so window reads skip finished series. */
    recurrenceEndsAt: ts('recurrence_ends_at'),
    /** When the provider last changed the event (Google `updated`, Graph `lastModifiedDateTime`). */
    providerUpdatedAt: ts('provider_updated_at'),
    /**
     * The full-sync generation that last wrote or saw this row (`calendar_sync_status.generation`):
     * a complete full pass sweeps the rows of older generations, and nothing else deletes in bulk.
     */
    syncMark: integer('sync_mark').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('synced_calendar_events_provider_event_key').on(t.integrationId, t.providerEventId),
    // Window reads: a staff member's events overlapping [from, to), masters included by start.
    index('synced_calendar_events_staff_start_idx').on(t.staffId, t.startsAt),
    index('synced_calendar_events_series_idx').on(t.integrationId, t.seriesEventId).where(sql`${t.seriesEventId} is not null`),
    check('synced_calendar_events_kind_known', sql`${t.kind} in ('single', 'master', 'exception')`),
    check('synced_calendar_events_status_known', sql`${t.status} in ('confirmed', 'tentative', 'cancelled')`),
    check('synced_calendar_events_ends_after_start', sql`${t.endsAt} >= ${t.startsAt}`),
  ],
);

/**
 * Where each integration's sync stands (the seed's `calendar_sync_status`), one row per
 * integration. The provider's cursor (Google `nextSyncToken`, Graph `@odata.deltaLink`) lets
 * whoever holds it read the calendar's changes, so it is sealed like a token. The row is also
 * the lock: a sync holds it `for update`, so one sync of an integration runs at a time across
 * instances.
 */
export const calendarSyncStatus = pgTable('calendar_sync_status', {
  integrationId: text('integration_id')
    .primaryKey()
    .references(() => calendarIntegrations.id, { onDelete: 'cascade' }),
  staffId: text('staff_id')
    .notNull()
    .references(() => staffUsers.id, { onDelete: 'cascade' }),
  provider: text('provider').notNull(),
  /** The sealed cursor of the last complete pass; null until one completed, or after the provider expired it. */
  cursorEnc: encrypted('cursor_enc'),
  /** Generation of the current (or last) full pass; rows marked older are swept when a full pass completes. */
  generation: integer('generation').notNull(),
  /** For Graph's calendar view: the window the cursor covers (fixed by its first page). */
  windowStartsAt: ts('window_starts_at'),
  windowEndsAt: ts('window_ends_at'),
  lastStartedAt: ts('last_started_at'),
  /** When a pass last completed. */
  lastSyncedAt: ts('last_synced_at'),
  /** Last full pass completed (a resync after an expired cursor, or the first sync). */
  lastFullSyncAt: ts('last_full_sync_at'),
  /** A short code of the last failure (`PROVIDER_UNAVAILABLE`, `NEEDS_REAUTH`…), null after a success. */
  lastError: text('last_error'),
  consecutiveFailures: integer('consecutive_failures').notNull(),
  /** When the background worker should sync it next (jittered). */
  nextSyncAt: ts('next_sync_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
}, (t) => [index('calendar_sync_status_next_idx').on(t.nextSyncAt)]);

/**
 * Provider events created through CareOS that concern a client (the seed's
 * `client_calendar_events`): an event a staff member placed for a contact, or the event the
 * server keeps on a staff member's calendar for a booking (one per booking and calendar).
 */
export const clientCalendarEvents = pgTable(
  'client_calendar_events',
  {
    id: text('id').primaryKey(),
    clientId: text('client_id')
      .notNull()
      .references(() => users.id),
    integrationId: text('integration_id')
      .notNull()
      .references(() => calendarIntegrations.id, { onDelete: 'cascade' }),
    provider: text('provider').notNull(),
    providerEventId: text('provider_event_id').notNull(),
    /** The booking the event shows, when it was placed for one. */
    bookingId: text('booking_id').references(() => bookings.id, { onDelete: 'cascade' }),
    createdBy: text('created_by').references(() => staffUsers.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('client_calendar_events_provider_event_key').on(t.integrationId, t.providerEventId),
    uniqueIndex('client_calendar_events_booking_key').on(t.bookingId, t.integrationId),
    index('client_calendar_events_client_idx').on(t.clientId),
  ],
);
