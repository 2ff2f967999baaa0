import type { CalendarProvider } from '@careos/contract';
import { and, eq, inArray, lt, or } from 'drizzle-orm';
import { calendarIntegrations, calendarSyncStatus, syncedCalendarEvents } from '../../db/schema/index.js';
import type { Executor } from '../../db/database.js';
import { DomainError } from '../../domain/errors.js';
import type { ServiceContext } from '../context.js';
import type { TransportOptions } from './api-transport.js';
import { eventRow, UPSERT_SET, type RowOwner } from './event-rows.js';
import { CalendarApiError, FullSyncRequired, type CalendarEventsApi, type EventPage, type RemoteEvent } from './events-api.js';
import type { EventsApiFactory } from './events-client.js';
import type { CalendarProviders } from './oauth-providers.js';
import type { IntegrationRow } from './records.js';
import { SyncClaims, type SyncClaim } from './sync-status.js';
import { CalendarReauthRequired } from './tokens.js';

const DAY_MS = 86_400_000;
/** Graph's calendar view covers this window around the full pass that fixed it… */
const WINDOW_PAST_MS = 30 * DAY_MS;
const WINDOW_FUTURE_MS = 365 * DAY_MS;
/** …and is moved (a new full pass) once it started this long ago. */
const WINDOW_REBASE_MS = 60 * DAY_MS;
/** Full passes started again within one sync after a 410, before giving up until the next run. */
const MAX_RESTARTS = 2;
/** Longest wait between attempts for a calendar that keeps failing. */
const MAX_BACKOFF_MS = 6 * 60 * 60 * 1000;

/** What one sync of an integration did. */
export type SyncOutcome =
  | { status: 'synced'; mode: 'full' | 'incremental'; pages: number; upserted: number; removed: number; swept: number }
  /** Another pass (this instance's or another's) holds the integration. */
  | { status: 'busy' }
  | { status: 'skipped'; reason: 'needs_reauth' | 'not_configured' | 'not_connected' }
  /** The pass failed; nothing it had not committed changed, and no row was deleted for it. */
  | { status: 'failed'; error: string };

/** Options of {@link CalendarSync}. */
export interface CalendarSyncOptions {
  /** Events asked for per page (default 250). */
  pageSize?: number;
  /** HTTP options of the events APIs (tests: retry sleeps). */
  transport?: TransportOptions;
}

/** The pass was taken over by another instance (its lease lapsed): stop without committing. */
class SyncSuperseded extends Error {
  override readonly name = 'SyncSuperseded';
}

/**
 * Keeps `synced_calendar_events` in step with each connected calendar.
 *
 * - Incremental: with the stored cursor (Google `syncToken`, Graph `deltaLink`) only changes are
 *   listed. Each page is committed in its own transaction; the new cursor is stored only in the
 *   transaction of the last page, so a pass that fails half-way is simply listed again from the
 *   old cursor next time (upserts are idempotent).
 * - Full (first sync, or the provider answered 410 / `syncStateNotFound`, also mid-pass): a new
 *   generation is started and every row seen is marked with it; when — and only when — the
 *   last page is committed, rows of older generations (gone at the provider) are swept in that
 *   same transaction. Never wipe-then-fill: a failed or cut-short pass deletes nothing.
 * - Deletions the provider reports (Google `cancelled`, Graph `@removed`) delete the row (and a
 *   deleted series' exceptions); a cancelled occurrence of a series is kept as an exception.
 * - One pass per integration at a time, across instances ({@link SyncClaims}); in this instance
 *   concurrent callers share the running pass.
 */
export class CalendarSync {
  readonly #inFlight = new Map<string, Promise<SyncOutcome>>();
  readonly #claims: SyncClaims;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly apis: EventsApiFactory,
    private readonly providers: CalendarProviders,
    private readonly options: CalendarSyncOptions = {},
  ) {
    this.#claims = new SyncClaims(ctx);
  }

  /**
   * The same sync with other page size or HTTP options (benchmarks, tests). Passes of both
   * still exclude each other through the database claim.
   */
  withOptions(options: CalendarSyncOptions): CalendarSync {
    return new CalendarSync(this.ctx, this.apis, this.providers, { ...this.options, ...options });
  }

  /** Syncs one integration now (joining a pass of it already running in this instance). */
  syncIntegration(integrationId: string): Promise<SyncOutcome> {
    let pending = this.#inFlight.get(integrationId);
    if (!pending) {
      pending = this.#run(integrationId).finally(() => this.#inFlight.delete(integrationId));
      this.#inFlight.set(integrationId, pending);
    }
    return pending;
  }

  /**
   * Syncs every calendar of a staff member and waits for each to be settled: when another
   * instance's pass is running, waits (up to `waitMs`) for it to finish, then runs one more
   * (usually an empty incremental one), so what is read afterwards is at least this fresh.
   */
  async syncStaff(staffId: string, waitMs = 10_000): Promise<Record<string, SyncOutcome>> {
    const rows = await this.ctx.db.orm.select().from(calendarIntegrations).where(eq(calendarIntegrations.staffId, staffId));
    const outcomes: Record<string, SyncOutcome> = {};
    await Promise.all(
      rows.map(async (row) => {
        let outcome = await this.syncIntegration(row.id);
        for (const until = Date.now() + waitMs; outcome.status === 'busy' && Date.now() < until; ) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          if (!(await this.#claims.running(row.id))) outcome = await this.syncIntegration(row.id);
        }
        outcomes[row.provider] = outcome;
      }),
    );
    return outcomes;
  }

  /** The events API of an integration, with this sync's HTTP options. */
  api(row: Pick<IntegrationRow, 'staffId' | 'provider'>): CalendarEventsApi {
    return this.apis(row.staffId, row.provider as CalendarProvider, this.options.transport);
  }

  async #run(integrationId: string): Promise<SyncOutcome> {
    const [row] = await this.ctx.db.orm.select().from(calendarIntegrations).where(eq(calendarIntegrations.id, integrationId));
    if (!row) return { status: 'skipped', reason: 'not_connected' };
    if (row.status === 'needs_reauth') return { status: 'skipped', reason: 'needs_reauth' };
    if (!(await this.providers.get(row.provider as CalendarProvider))) return { status: 'skipped', reason: 'not_configured' };
    await this.#claims.ensure(row);
    const claim = await this.#claims.claim(row.id);
    if (!claim) return { status: 'busy' };
    try {
      const outcome = await this.#pass(row, claim);
      this.ctx.logger.info({ integration_id: row.id, provider: row.provider, ...outcome }, 'calendar synced');
      return outcome;
    } catch (error) {
      if (error instanceof SyncSuperseded) return { status: 'busy' };
      const code = failureCode(error);
      const failures = claim.status.consecutiveFailures + 1;
      await this.#claims
        .release(this.ctx.db.orm, claim, { lastError: code, consecutiveFailures: failures, nextSyncAt: this.#nextRun(failures) })
        .catch(() => undefined);
      this.ctx.logger.warn({ integration_id: row.id, provider: row.provider, error: code, err_name: (error as Error).name }, 'calendar sync failed; nothing was deleted');
      return { status: 'failed', error: code };
    }
  }

  async #pass(row: IntegrationRow, claim: SyncClaim): Promise<Extract<SyncOutcome, { status: 'synced' }>> {
    const cipher = this.ctx.phi.cipher;
    const provider = row.provider as CalendarProvider;
    const api = this.api(row);
    const started = this.ctx.clock.now();
    const stored = claim.status;
    let cursor = stored.cursorEnc ? cipher.open(calendarSyncStatus.cursorEnc, stored.cursorEnc) : null;
    let window = { from: stored.windowStartsAt ?? started, to: stored.windowEndsAt ?? started };
    if (provider === 'microsoft' && cursor && started.getTime() - window.from.getTime() > WINDOW_REBASE_MS) cursor = null;
    let generation = stored.generation;
    const totals = { pages: 0, upserted: 0, removed: 0, swept: 0 };
    for (let restarts = 0; ; restarts++) {
      const full = cursor === null;
      if (full) {
        // A new generation per full pass, so rows marked by a cut-short one are swept too.
        generation += 1;
        window = { from: new Date(started.getTime() - WINDOW_PAST_MS), to: new Date(started.getTime() + WINDOW_FUTURE_MS) };
      }
      const owner: RowOwner = { integrationId: row.id, staffId: row.staffId, provider, syncMark: generation };
      let page: string | null = null;
      try {
        for (let first = true; ; first = false) {
          const result: EventPage = await api.listPage({ cursor, page, window, pageSize: this.options.pageSize ?? 250 });
          const last = result.nextPage === null;
          if (last && !result.cursor) throw new CalendarApiError(provider, 200, 'no_cursor');
          totals.pages += 1;
          await this.ctx.db.orm.transaction(async (tx) => {
            if (!(await this.#claims.renew(tx, claim, full && first ? { generation } : {}))) throw new SyncSuperseded();
            const { upserted, removed } = await this.#apply(tx, owner, result);
            totals.upserted += upserted;
            totals.removed += removed;
            if (!last) return;
            if (full) {
              const gone = await tx.delete(syncedCalendarEvents).where(and(eq(syncedCalendarEvents.integrationId, row.id), lt(syncedCalendarEvents.syncMark, generation))).returning({ id: syncedCalendarEvents.id });
              totals.swept = gone.length;
            }
            const now = this.ctx.clock.now();
            await this.#claims.release(tx, claim, {
              cursorEnc: cipher.seal(calendarSyncStatus.cursorEnc, result.cursor!),
              generation,
              windowStartsAt: provider === 'microsoft' ? window.from : null,
              windowEndsAt: provider === 'microsoft' ? window.to : null,
              lastSyncedAt: now,
              ...(full ? { lastFullSyncAt: now } : {}),
              lastError: null,
              consecutiveFailures: 0,
              nextSyncAt: this.#nextRun(0),
            });
          });
          if (last) return { status: 'synced', mode: full ? 'full' : 'incremental', ...totals };
          page = result.nextPage;
        }
      } catch (error) {
        if (!(error instanceof FullSyncRequired) || restarts >= MAX_RESTARTS) throw error;
        this.ctx.logger.info({ integration_id: row.id, provider, mid_pass: page !== null }, 'calendar cursor expired: listing in full (mark and sweep)');
        cursor = null;
      }
    }
  }

  /** Upserts a page's events and deletes its removals; a later mention of an id in the page wins. */
  async #apply(tx: Executor, owner: RowOwner, page: EventPage): Promise<{ upserted: number; removed: number }> {
    const latest = new Map<string, RemoteEvent | null>();
    for (const event of page.events) latest.set(event.id, event);
    for (const gone of page.removed) latest.set(gone.id, null);
    const now = this.ctx.clock.now();
    const rows = [...latest.values()].filter((e): e is RemoteEvent => e !== null).map((e) => eventRow(this.ctx.phi, owner, e, now));
    const removedIds = [...latest].filter(([, e]) => e === null).map(([id]) => id);
    if (rows.length) {
      await tx.insert(syncedCalendarEvents).values(rows).onConflictDoUpdate({ target: [syncedCalendarEvents.integrationId, syncedCalendarEvents.providerEventId], set: UPSERT_SET });
    }
    let removed = 0;
    if (removedIds.length) {
      const deleted = await tx
        .delete(syncedCalendarEvents)
        .where(and(eq(syncedCalendarEvents.integrationId, owner.integrationId), or(inArray(syncedCalendarEvents.providerEventId, removedIds), inArray(syncedCalendarEvents.seriesEventId, removedIds))))
        .returning({ id: syncedCalendarEvents.id });
      removed = deleted.length;
    }
    return { upserted: rows.length, removed };
  }

  /** When to sync next: the interval ±10 %, doubled per consecutive failure (bounded). */
  #nextRun(failures: number): Date {
    const interval = (this.ctx.config.calendarSync.intervalSeconds || 300) * 1000;
    const base = failures ? Math.min(interval * 2 ** failures, MAX_BACKOFF_MS) : interval;
    return new Date(this.ctx.clock.now().getTime() + base * (0.9 + Math.random() * 0.2));
  }
}

/** A short code for a failed pass (never a message: it could quote the calendar). */
function failureCode(error: unknown): string {
  if (error instanceof CalendarReauthRequired) return 'NEEDS_REAUTH';
  if (error instanceof CalendarApiError) return `PROVIDER_${error.status || 'UNREACHABLE'}_${error.code}`.slice(0, 80);
  if (error instanceof DomainError) return error.code;
  return 'INTERNAL';
}
