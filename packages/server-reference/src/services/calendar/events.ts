import type { CalendarEvent, CalendarEventList, CalendarProvider } from '@careos/contract';
import { and, eq, gt, inArray, isNull, lt, ne, or } from 'drizzle-orm';
import { calendarIntegrations, calendarSyncStatus, syncedCalendarEvents } from '../../db/schema/index.js';
import type { ServiceContext } from '../context.js';
import { eventDto, recurrenceLines, type SyncedEventRow } from './event-rows.js';
import { occurrencesBetween } from './recurrence.js';
import type { CalendarSync } from './sync.js';

/** One event or occurrence before merging: the row it came from and its times. */
interface Instance {
  row: SyncedEventRow;
  start: Date;
  end: Date;
  /** Set for an occurrence of a series (the key part of its id). */
  occurrence: boolean;
}

/**
 * A staff member's events across their connected calendars for a window: read from what the
 * sync stored (optionally syncing first), series expanded with their exceptions applied, and
 * the same invitation seen through both providers merged into one event naming both.
 */
export class CalendarEvents {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly sync: CalendarSync,
  ) {}

  /** The events overlapping `[from, to)`; `sync` syncs every connected calendar first. */
  async list(staffId: string, from: Date, to: Date, options: { sync?: boolean } = {}): Promise<CalendarEventList> {
    if (options.sync) await this.sync.syncStaff(staffId);
    const orm = this.ctx.db.orm;
    const e = syncedCalendarEvents;
    const [plain, masters, calendars] = await Promise.all([
      orm
        .select()
        .from(e)
        .where(and(eq(e.staffId, staffId), inArray(e.kind, ['single', 'exception']), ne(e.status, 'cancelled'), lt(e.startsAt, to), gt(e.endsAt, from))),
      orm
        .select()
        .from(e)
        .where(and(eq(e.staffId, staffId), eq(e.kind, 'master'), lt(e.startsAt, to), or(isNull(e.recurrenceEndsAt), gt(e.recurrenceEndsAt, from)))),
      orm
        .select({ provider: calendarIntegrations.provider, status: calendarIntegrations.status, lastSyncedAt: calendarSyncStatus.lastSyncedAt, lastError: calendarSyncStatus.lastError })
        .from(calendarIntegrations)
        .leftJoin(calendarSyncStatus, eq(calendarSyncStatus.integrationId, calendarIntegrations.id))
        .where(eq(calendarIntegrations.staffId, staffId))
        .orderBy(calendarIntegrations.provider),
    ]);
    const instances: Instance[] = plain.map((row) => ({ row, start: row.startsAt, end: row.endsAt, occurrence: false }));
    instances.push(...(await this.#expand(masters, from, to)));
    return {
      ok: true,
      from: from.toISOString(),
      to: to.toISOString(),
      events: this.#merge(instances),
      calendars: calendars.map((c) => ({
        provider: c.provider as CalendarProvider,
        status: c.status === 'needs_reauth' ? 'needs_reauth' : 'connected',
        last_synced_at: c.lastSyncedAt?.toISOString() ?? null,
        last_error: c.lastError ?? null,
      })),
    };
  }

  /** The occurrences of `masters` in the window, minus those their exceptions replace or cancel. */
  async #expand(masters: SyncedEventRow[], from: Date, to: Date): Promise<Instance[]> {
    if (!masters.length) return [];
    const e = syncedCalendarEvents;
    const exceptions = await this.ctx.db.orm
      .select({ integrationId: e.integrationId, seriesEventId: e.seriesEventId, originalStartsAt: e.originalStartsAt })
      .from(e)
      .where(and(eq(e.kind, 'exception'), inArray(e.integrationId, [...new Set(masters.map((m) => m.integrationId))]), inArray(e.seriesEventId, masters.map((m) => m.providerEventId))));
    const replaced = new Map<string, Set<number>>();
    for (const x of exceptions) {
      if (!x.originalStartsAt) continue;
      const key = `${x.integrationId}\u0000${x.seriesEventId}`;
      if (!replaced.has(key)) replaced.set(key, new Set());
      replaced.get(key)!.add(x.originalStartsAt.getTime());
    }
    const out: Instance[] = [];
    for (const row of masters) {
      const durationMs = row.endsAt.getTime() - row.startsAt.getTime();
      let starts: Date[];
      try {
        starts = occurrencesBetween({ start: row.startsAt, durationMs, timeZone: row.timeZone, allDay: row.allDay, lines: recurrenceLines(row) }, from, to, replaced.get(`${row.integrationId}\u0000${row.providerEventId}`));
      } catch {
        // A rule that cannot be read: show the first occurrence if it is in the window rather than fail the whole read.
        starts = row.startsAt < to && row.endsAt > from ? [row.startsAt] : [];
      }
      for (const start of starts) out.push({ row, start, end: new Date(start.getTime() + durationMs), occurrence: true });
    }
    return out;
  }

  /** Instances as API events in start order, one per (iCalendar UID, start) across providers. */
  #merge(instances: Instance[]): CalendarEvent[] {
    instances.sort((a, b) => a.start.getTime() - b.start.getTime() || a.row.provider.localeCompare(b.row.provider) || a.row.id.localeCompare(b.row.id));
    const byUid = new Map<string, CalendarEvent>();
    const events: CalendarEvent[] = [];
    for (const instance of instances) {
      const { row } = instance;
      const key = row.icalUidBidx ? `${row.icalUidBidx}\u0000${instance.start.getTime()}` : null;
      const seen = key ? byUid.get(key) : undefined;
      if (seen) {
        if (!seen.providers.some((p) => p.provider === row.provider)) seen.providers.push({ provider: row.provider as CalendarProvider, event_id: row.seriesEventId ?? row.providerEventId });
        continue;
      }
      const event = eventDto(this.ctx.phi, row, instance.occurrence ? instance : undefined);
      if (key) byUid.set(key, event);
      events.push(event);
    }
    return events;
  }
}
