import { CalendarProvider } from '@careos/contract';
import { and, eq, inArray, isNull, lte, or } from 'drizzle-orm';
import { calendarIntegrations, calendarSyncStatus } from '../db/schema/index.js';
import type { CalendarProviders } from '../services/calendar/oauth-providers.js';
import type { CalendarPush } from '../services/calendar/push.js';
import type { CalendarSync } from '../services/calendar/sync.js';
import type { ServiceContext } from '../services/context.js';
import { Poller } from './poller.js';

/** How often the worker looks for calendars due a sync. */
const POLL_MS = 15_000;
/** Calendars synced per run (the rest wait for the next run). */
const BATCH = 50;

/**
 * The periodic background sync: every poll, the connected calendars whose `next_sync_at` has
 * come (or that never synced) are synced one after another. Each sync sets its own next run
 * (the interval with ±10 % jitter, so calendars connected together drift apart; longer after
 * failures); calendars that need a new consent are skipped; two instances never sync one
 * calendar at once (the sync's claim). After the syncs, each run opens, renews or retries push
 * channels (`CalendarPush.maintain`). Off when `CAREOS_CALENDAR_SYNC_INTERVAL_SECONDS=0`.
 */
export class CalendarSyncWorker {
  readonly #poller: Poller;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly sync: CalendarSync,
    private readonly providers: CalendarProviders,
    /** Push channels, opened and renewed after each run's syncs (see `CalendarPush.maintain`). */
    private readonly push?: CalendarPush,
  ) {
    this.#poller = new Poller({ intervalMs: POLL_MS, run: () => this.#runDue(), logger: ctx.logger, failure: 'calendar sync run failed' });
  }

  /** Polls until {@link stop}; does nothing when the background sync is off. */
  start(): void {
    if (this.ctx.config.calendarSync.intervalSeconds !== 0) this.#poller.start({ now: false });
  }

  /** Stops polling and waits for a run in progress. */
  async stop(): Promise<void> {
    this.push?.close();
    await this.#poller.stop();
  }

  /** Syncs the calendars due now; resolves with how many were synced. A run already going is joined. */
  runDue(): Promise<number> {
    return this.#poller.runDue();
  }

  async #runDue(): Promise<number> {
    // Calendars of a provider whose settings were removed are left alone (they would stay due and fill every batch).
    const offered = await Promise.all(CalendarProvider.options.map(async (p) => ((await this.providers.get(p)) ? p : null)));
    const configured = offered.filter((p) => p !== null);
    if (!configured.length) return 0;
    // Push channels are looked after at the end of the run (also when no calendar was due).
    const due = await this.ctx.db.orm
      .select({ id: calendarIntegrations.id })
      .from(calendarIntegrations)
      .leftJoin(calendarSyncStatus, eq(calendarSyncStatus.integrationId, calendarIntegrations.id))
      .where(and(eq(calendarIntegrations.status, 'connected'), inArray(calendarIntegrations.provider, configured), or(isNull(calendarSyncStatus.integrationId), lte(calendarSyncStatus.nextSyncAt, this.ctx.clock.now()))))
      .orderBy(calendarSyncStatus.nextSyncAt)
      .limit(BATCH);
    let synced = 0;
    for (const { id } of due) {
      const outcome = await this.sync.syncIntegration(id);
      if (outcome.status === 'synced') synced++;
    }
    await this.push?.maintain();
    return synced;
  }
}
