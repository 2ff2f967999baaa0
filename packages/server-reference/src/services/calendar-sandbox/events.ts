import { randomBytes } from 'node:crypto';
import { and, asc, eq, gt, lt, lte, sql } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/database.js';
import { sandboxCalendarEvents, sandboxCalendars, sandboxCalendarSyncTokens } from '../../db/schema/index.js';
import type { ServiceContext } from '../context.js';
import { checkTimes, readInsert, readPatch, SandboxApiError, type EventTime, type NewEvent } from './event-input.js';

/** How long a `nextSyncToken` stays usable; after that a list with it answers 410 (a full sync is needed). */
export const SYNC_TOKEN_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** `maxResults` as Google bounds it. */
export const DEFAULT_PAGE_SIZE = 250;
export const MAX_PAGE_SIZE = 2500;

/** An event as the API answers it (Google's `calendar#event`, the fields the sandbox keeps). */
export interface EventResource {
  kind: 'calendar#event';
  etag: string;
  id: string;
  status: 'confirmed' | 'cancelled';
  created?: string;
  updated?: string;
  summary?: string;
  description?: string;
  start?: EventTime;
  end?: EventTime;
  recurrence?: string[];
  iCalUID?: string;
  sequence?: number;
}

/** A page of `events.list` (Google's `calendar#events`). */
export interface EventPage {
  kind: 'calendar#events';
  summary: string;
  updated: string;
  timeZone: string;
  accessRole: 'owner';
  defaultReminders: [];
  items: EventResource[];
  nextPageToken?: string;
  nextSyncToken?: string;
}

/** `events.list` parameters the sandbox honours. */
export interface ListParams {
  pageToken?: string;
  maxResults?: number;
  syncToken?: string;
  showDeleted?: boolean;
}

/** Where a listing stands: changes after `since` up to the snapshot `upto`, ids after `after`. */
interface Cursor {
  since: number;
  upto: number;
  deleted: boolean;
  after: string;
}

type EventRow = typeof sandboxCalendarEvents.$inferSelect;

const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';
/** A new event id in Google's alphabet. */
export function newEventId(): string {
  return [...randomBytes(26)].map((b) => BASE32HEX[b & 31]).join('');
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.since, cursor.upto, cursor.deleted ? 1 : 0, cursor.after])).toString('base64url');
}

function decodeCursor(token: string): Cursor {
  try {
    const [since, upto, deleted, after] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[];
    if (Number.isSafeInteger(since) && Number.isSafeInteger(upto) && (deleted === 0 || deleted === 1) && typeof after === 'string' && after.length <= 1024) {
      return { since: since as number, upto: upto as number, deleted: deleted === 1, after };
    }
  } catch {
    // Answered below.
  }
  throw new SandboxApiError(400, 'invalid', 'Invalid page token value.');
}

/**
 * The sandbox calendar's events, as the Google Calendar API v3 serves them: a listing paged by
 * `pageToken` and resumable by `syncToken`, insert, patch and delete. Every change bumps the
 * calendar's change count (under its row lock) and stamps the event with it; a listing reads
 * the count once as its snapshot, pages through events up to it, and hands that count out as the
 * next sync token, so a change made while a client pages is reported by its next sync rather
 * than lost. Deleted events stay as `cancelled` rows for the same reason.
 */
export class SandboxCalendarEvents {
  constructor(private readonly ctx: ServiceContext) {}

  /** `events.list`. 410 `fullSyncRequired` for an unknown or expired sync token. */
  async list(calendarId: string, params: ListParams): Promise<EventPage> {
    const orm = this.ctx.db.orm;
    const now = this.ctx.clock.now();
    const size = params.maxResults ?? DEFAULT_PAGE_SIZE;
    let cursor: Cursor;
    if (params.pageToken) cursor = decodeCursor(params.pageToken);
    else {
      const [calendar] = await orm.select({ changeSeq: sandboxCalendars.changeSeq }).from(sandboxCalendars).where(eq(sandboxCalendars.id, calendarId));
      const upto = calendar?.changeSeq ?? 0;
      if (params.syncToken) {
        const [known] = await orm
          .select()
          .from(sandboxCalendarSyncTokens)
          .where(and(eq(sandboxCalendarSyncTokens.token, params.syncToken), eq(sandboxCalendarSyncTokens.calendarId, calendarId), gt(sandboxCalendarSyncTokens.expiresAt, now)));
        if (!known) throw new SandboxApiError(410, 'fullSyncRequired', 'Sync token is no longer valid, a full sync is required.');
        // Deleted events are always reported to an incremental sync.
        cursor = { since: known.changeSeq, upto, deleted: true, after: '' };
      } else cursor = { since: 0, upto, deleted: params.showDeleted === true, after: '' };
    }
    const rows = await orm
      .select()
      .from(sandboxCalendarEvents)
      .where(
        and(
          eq(sandboxCalendarEvents.calendarId, calendarId),
          gt(sandboxCalendarEvents.changeSeq, cursor.since),
          lte(sandboxCalendarEvents.changeSeq, cursor.upto),
          gt(sandboxCalendarEvents.id, cursor.after),
          cursor.deleted ? undefined : eq(sandboxCalendarEvents.status, 'confirmed'),
        ),
      )
      .orderBy(asc(sandboxCalendarEvents.id))
      .limit(size + 1);
    const page: EventPage = { kind: 'calendar#events', summary: 'Sandbox calendar', updated: now.toISOString(), timeZone: 'Etc/UTC', accessRole: 'owner', defaultReminders: [], items: rows.slice(0, size).map((row) => this.#resource(row)) };
    if (rows.length > size) page.nextPageToken = encodeCursor({ ...cursor, after: rows[size - 1]!.id });
    else page.nextSyncToken = await this.#syncToken(calendarId, cursor.upto);
    return page;
  }

  /** `events.get`: a deleted event is answered as `cancelled`, as Google does. */
  async get(calendarId: string, eventId: string): Promise<EventResource> {
    return this.#resource(await this.#find(this.ctx.db.orm, calendarId, eventId));
  }

  /** `events.insert`. 409 `duplicate` when the chosen id or iCalUID is taken. */
  async insert(calendarId: string, body: unknown): Promise<EventResource> {
    const event = readInsert(body);
    return this.#resource(await this.ctx.db.orm.transaction((tx) => this.#write(tx, calendarId, event)));
  }

  /** `events.patch`: only the fields sent change; `null` clears summary, description or recurrence. */
  async patch(calendarId: string, eventId: string, body: unknown): Promise<EventResource> {
    const fields = readPatch(body);
    const row = await this.ctx.db.orm.transaction(async (tx) => {
      const seq = await this.#bump(tx, calendarId);
      const current = await this.#find(tx, calendarId, eventId);
      if (current.status === 'cancelled') throw new SandboxApiError(410, 'deleted', 'Resource has been deleted');
      const start = fields.start ?? current.start;
      const end = fields.end ?? current.end;
      const rules = fields.recurrence === undefined ? current.recurrence : fields.recurrence;
      checkTimes(start as EventTime, end as EventTime, rules);
      const cipher = this.ctx.phi.cipher;
      const [updated] = await tx
        .update(sandboxCalendarEvents)
        .set({
          ...(fields.summary !== undefined ? { summaryEnc: cipher.sealOrNull(sandboxCalendarEvents.summaryEnc, fields.summary) } : {}),
          ...(fields.description !== undefined ? { descriptionEnc: cipher.sealOrNull(sandboxCalendarEvents.descriptionEnc, fields.description) } : {}),
          start,
          end,
          recurrence: rules,
          sequence: current.sequence + 1,
          changeSeq: seq,
          updatedAt: this.ctx.clock.now(),
        })
        .where(and(eq(sandboxCalendarEvents.calendarId, calendarId), eq(sandboxCalendarEvents.id, eventId)))
        .returning();
      return updated!;
    });
    return this.#resource(row);
  }

  /** `events.delete`: the event becomes `cancelled` (410 when it already is, 404 when unknown). */
  async delete(calendarId: string, eventId: string): Promise<void> {
    await this.ctx.db.orm.transaction(async (tx) => {
      const seq = await this.#bump(tx, calendarId);
      const current = await this.#find(tx, calendarId, eventId);
      if (current.status === 'cancelled') throw new SandboxApiError(410, 'deleted', 'Resource has been deleted');
      await tx
        .update(sandboxCalendarEvents)
        .set({ status: 'cancelled', summaryEnc: null, descriptionEnc: null, changeSeq: seq, sequence: current.sequence + 1, updatedAt: this.ctx.clock.now() })
        .where(and(eq(sandboxCalendarEvents.calendarId, calendarId), eq(sandboxCalendarEvents.id, eventId)));
    });
  }

  /** Writes a new event inside `tx` (the demo seed uses this too). */
  async #write(tx: Tx, calendarId: string, event: NewEvent): Promise<EventRow> {
    const seq = await this.#bump(tx, calendarId);
    const id = event.id ?? newEventId();
    const icalUid = event.iCalUID ?? `${id}@careos-sandbox`;
    const [clash] = await tx
      .select({ id: sandboxCalendarEvents.id })
      .from(sandboxCalendarEvents)
      .where(and(eq(sandboxCalendarEvents.calendarId, calendarId), sql`(${sandboxCalendarEvents.id} = ${id} or ${sandboxCalendarEvents.icalUid} = ${icalUid})`));
    if (clash) throw new SandboxApiError(409, 'duplicate', 'The requested identifier already exists.');
    const cipher = this.ctx.phi.cipher;
    const now = this.ctx.clock.now();
    const [row] = await tx
      .insert(sandboxCalendarEvents)
      .values({
        calendarId,
        id,
        icalUid,
        status: 'confirmed',
        summaryEnc: cipher.sealOrNull(sandboxCalendarEvents.summaryEnc, event.summary),
        descriptionEnc: cipher.sealOrNull(sandboxCalendarEvents.descriptionEnc, event.description),
        start: event.start,
        end: event.end,
        recurrence: event.recurrence ?? null,
        sequence: 0,
        changeSeq: seq,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return row!;
  }

  /** Writes `events` on a new calendar inside the transaction that created it. */
  async seed(tx: Tx, calendarId: string, events: readonly NewEvent[]): Promise<void> {
    for (const event of events) await this.#write(tx, calendarId, event);
  }

  /** Takes the calendar's row lock and the next change count (404 when the calendar is gone). */
  async #bump(tx: Tx, calendarId: string): Promise<number> {
    const [calendar] = await tx
      .update(sandboxCalendars)
      .set({ changeSeq: sql`${sandboxCalendars.changeSeq} + 1` })
      .where(eq(sandboxCalendars.id, calendarId))
      .returning({ changeSeq: sandboxCalendars.changeSeq });
    if (!calendar) throw new SandboxApiError(404, 'notFound', 'Not Found');
    return calendar.changeSeq;
  }

  async #find(on: Executor, calendarId: string, eventId: string): Promise<EventRow> {
    const [row] = await on.select().from(sandboxCalendarEvents).where(and(eq(sandboxCalendarEvents.calendarId, calendarId), eq(sandboxCalendarEvents.id, eventId)));
    if (!row) throw new SandboxApiError(404, 'notFound', 'Not Found');
    return row;
  }

  async #syncToken(calendarId: string, changeSeq: number): Promise<string> {
    const token = randomBytes(24).toString('base64url');
    const now = this.ctx.clock.now();
    const orm = this.ctx.db.orm;
    await orm.delete(sandboxCalendarSyncTokens).where(lt(sandboxCalendarSyncTokens.expiresAt, now));
    await orm.insert(sandboxCalendarSyncTokens).values({ token, calendarId, changeSeq, createdAt: now, expiresAt: new Date(now.getTime() + SYNC_TOKEN_TTL_MS) });
    return token;
  }

  #resource(row: EventRow): EventResource {
    const base = { kind: 'calendar#event' as const, etag: `"${row.changeSeq}"`, id: row.id };
    // A deleted event carries only what a sync needs to remove it, as Google answers it.
    if (row.status === 'cancelled') return { ...base, status: 'cancelled' };
    const cipher = this.ctx.phi.cipher;
    const summary = cipher.openOrNull(sandboxCalendarEvents.summaryEnc, row.summaryEnc);
    const description = cipher.openOrNull(sandboxCalendarEvents.descriptionEnc, row.descriptionEnc);
    return {
      ...base,
      status: 'confirmed',
      created: row.createdAt.toISOString(),
      updated: row.updatedAt.toISOString(),
      ...(summary !== null ? { summary } : {}),
      ...(description !== null ? { description } : {}),
      start: row.start as EventTime,
      end: row.end as EventTime,
      ...(row.recurrence ? { recurrence: row.recurrence } : {}),
      iCalUID: row.icalUid,
      sequence: row.sequence,
    };
  }
}
