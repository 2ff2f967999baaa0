import type { CalendarEvent, CalendarEventList, CalendarProvider } from '@careos/contract';
import { and, eq, gt, inArray, lt, ne } from 'drizzle-orm';
import { calendarIntegrations, calendarSyncStatus, syncedCalendarEvents } from '../../db/schema/index.js';
import type { ServiceContext } from '../context.js';
import { eventDto, type SyncedEventRow } from './event-rows.js';
import { mastersIn, occurrencesIn } from './series.js';
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
      mastersIn(orm, eq(e.staffId, staffId), from, to),
      orm
        .select({ provider: calendarIntegrations.provider, status: calendarIntegrations.status, lastSyncedAt: calendarSyncStatus.lastSyncedAt, lastError: calendarSyncStatus.lastError })
        .from(calendarIntegrations)
        .leftJoin(calendarSyncStatus, eq(calendarSyncStatus.integrationId, calendarIntegrations.id))
        .where(eq(calendarIntegrations.staffId, staffId))
        .orderBy(calendarIntegrations.provider),
    ]);
    const instances: Instance[] = plain.map((row) => ({ row, start: row.startsAt, end: row.endsAt, occurrence: false }));
    instances.push(...(await occurrencesIn(orm, masters, from, to)).map((o) => ({ ...o, occurrence: true })));
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
