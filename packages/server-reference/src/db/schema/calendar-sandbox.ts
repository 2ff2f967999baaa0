import { bigint, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { encrypted, ts } from './columns.js';

/*
 * The sandbox calendar provider (services/calendar-sandbox): an OAuth 2 authorization server and
 * a Google Calendar API v3-shaped events API the reference server serves itself, so a developer
 * can connect a calendar without any account. It stands in for a third party, so nothing here
 * refers to CareOS staff: like Google, it knows calendars and the grants on them, not who the
 * client's users are. Every secret it issues (consent ids, codes, tokens) is stored as a SHA-256.
 */

/**
 * A consent page being shown: what the authorize request asked for, until the person answers
 * (single use, 10 minutes). Bound to the browser that loaded the page by a cookie's hash.
 */
export const sandboxCalendarConsents = pgTable(
  'sandbox_calendar_consents',
  {
    /** base64url SHA-256 of the consent id the page's form posts back. */
    idHash: text('id_hash').primaryKey(),
    /** base64url SHA-256 of the browser-binding cookie set with the page. */
    browserHash: text('browser_hash').notNull(),
    clientId: text('client_id').notNull(),
    redirectUri: text('redirect_uri').notNull(),
    /** The client's `state`, sealed: it is returned verbatim and is the client's secret. */
    stateEnc: encrypted('state_enc').notNull(),
    codeChallenge: text('code_challenge').notNull(),
    scope: text('scope').notNull(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('sandbox_calendar_consents_expires_idx').on(t.expiresAt)],
);

/**
 * One sandbox calendar, created by a consent that was allowed: the grant and its calendar are the
 * same thing (revoking the grant deletes the calendar and everything on it). `change_seq` counts
 * its changes; each event carries the count at its last change, and sync tokens name a count.
 */
export const sandboxCalendars = pgTable('sandbox_calendars', {
  id: text('id').primaryKey(),
  clientId: text('client_id').notNull(),
  scope: text('scope').notNull(),
  changeSeq: bigint('change_seq', { mode: 'number' }).notNull().default(0),
  createdAt: ts('created_at').notNull(),
});

/** Authorization codes: single use, short-lived, bound to the redirect URI and PKCE challenge. */
export const sandboxCalendarCodes = pgTable(
  'sandbox_calendar_codes',
  {
    codeHash: text('code_hash').primaryKey(),
    calendarId: text('calendar_id')
      .notNull()
      .references(() => sandboxCalendars.id, { onDelete: 'cascade' }),
    clientId: text('client_id').notNull(),
    redirectUri: text('redirect_uri').notNull(),
    codeChallenge: text('code_challenge').notNull(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('sandbox_calendar_codes_expires_idx').on(t.expiresAt)],
);

/** Access and refresh tokens of a calendar's grant. Refresh tokens do not expire (as at Google). */
export const sandboxCalendarTokens = pgTable(
  'sandbox_calendar_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    calendarId: text('calendar_id')
      .notNull()
      .references(() => sandboxCalendars.id, { onDelete: 'cascade' }),
    /** `access` or `refresh`. */
    kind: text('kind').notNull(),
    clientId: text('client_id').notNull(),
    /** `null` for a refresh token. */
    expiresAt: ts('expires_at'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('sandbox_calendar_tokens_calendar_idx').on(t.calendarId)],
);

/**
 * Events of a sandbox calendar, in the Google Calendar API's terms. A deleted event stays as a
 * `cancelled` row so incremental syncs can report it. Summary and description are PHI-like
 * (a visit with a named client), so they are sealed by the shared field cipher.
 */
export const sandboxCalendarEvents = pgTable(
  'sandbox_calendar_events',
  {
    calendarId: text('calendar_id')
      .notNull()
      .references(() => sandboxCalendars.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    icalUid: text('ical_uid').notNull(),
    /** `confirmed` or `cancelled`. */
    status: text('status').notNull(),
    summaryEnc: encrypted('summary_enc'),
    descriptionEnc: encrypted('description_enc'),
    /** `{ dateTime, timeZone? }` or `{ date }`, as the API writes them. */
    start: jsonb('start').$type<Record<string, string>>().notNull(),
    end: jsonb('end').$type<Record<string, string>>().notNull(),
    /** RRULE/EXDATE lines of a recurring event, or `null`. */
    recurrence: jsonb('recurrence').$type<string[]>(),
    /** The iCalendar SEQUENCE: bumped by each change. */
    sequence: integer('sequence').notNull(),
    /** The calendar's change count at this event's last change. */
    changeSeq: bigint('change_seq', { mode: 'number' }).notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.calendarId, t.id] }), index('sandbox_calendar_events_changes_idx').on(t.calendarId, t.changeSeq)],
);

/** Sync tokens handed out as `nextSyncToken`: the calendar's change count when the listing was taken. */
export const sandboxCalendarSyncTokens = pgTable(
  'sandbox_calendar_sync_tokens',
  {
    token: text('token').primaryKey(),
    calendarId: text('calendar_id')
      .notNull()
      .references(() => sandboxCalendars.id, { onDelete: 'cascade' }),
    changeSeq: bigint('change_seq', { mode: 'number' }).notNull(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('sandbox_calendar_sync_tokens_expires_idx').on(t.expiresAt)],
);
