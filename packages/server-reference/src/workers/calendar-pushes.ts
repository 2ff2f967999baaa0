import { and, eq, sql } from 'drizzle-orm';
import { calendarBookingPushes, calendarIntegrations } from '../db/schema/index.js';
import { DomainError } from '../domain/errors.js';
import type { AlertService } from '../services/alerts.js';
import type { BusinessSettingsService } from '../services/business-settings.js';
import type { BookingCalendarPushes } from '../services/calendar/booking-pushes.js';
import { pushBookingEvent, type ClaimedPush } from '../services/calendar/booking-event-push.js';
import { CalendarApiError } from '../services/calendar/events-api.js';
import type { EventsApiFactory } from '../services/calendar/events-client.js';
import { CalendarReauthRequired } from '../services/calendar/tokens.js';
import { failureCode, isTransient } from '../services/calendar/write-errors.js';
import type { ServiceContext } from '../services/context.js';
import { nextAttemptAt } from '../services/webhooks/retry-policy.js';
import { Poller } from './poller.js';

/** Delay before each attempt of a series (the first at once); its length is the number of attempts. */
export const PUSH_SCHEDULE_MS = [0, 30_000, 2 * 60_000, 10 * 60_000, 60 * 60_000, 6 * 60 * 60_000] as const;

/** How long a claimed push is left to the instance that claimed it (a call takes at most a few retried 15 s calls). */
const CLAIM_MS = 5 * 60_000;

/** Pushes claimed per transaction. */
const BATCH = 20;

interface Claimed extends ClaimedPush {
  id: string;
  version: number;
  seriesStartedAt: Date;
}

/**
 * Carries out the calendar pushes bookings record (`calendar_booking_pushes`), after their
 * transactions commit. A run claims due rows with `FOR UPDATE SKIP LOCKED` and marks them
 * claimed for a while, then calls the providers outside any transaction; an instance that dies
 * mid-push leaves its claim to lapse and another takes the row over. A failure that may pass
 * (unreachable, 429, 5xx, a token refresh that could not reach the provider) is retried on the
 * webhook deliveries' schedule and window (`nextAttemptAt`, with jitter); one that will not — the
 * calendar needs a new consent, the provider refused the event — or retries that ran out mark
 * the push `failed` and raise an ops alert. The booking itself is never touched.
 */
export class CalendarPushWorker {
  readonly #poller: Poller;
  #unsubscribe: (() => void) | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly deps: { pushes: BookingCalendarPushes; alerts: AlertService; business: BusinessSettingsService; api: EventsApiFactory },
  ) {
    this.#poller = new Poller({ intervalMs: ctx.config.bookings.calendarPushPollMs, run: () => this.#runAll(), logger: ctx.logger, failure: 'calendar pushes failed', rerun: true });
  }

  /** Runs now (catching up after downtime), on every booking change, and every poll interval until {@link stop}. */
  start(): void {
    if (this.#unsubscribe) return;
    this.#unsubscribe = this.deps.pushes.onScheduled(this.#poller.poke);
    this.#poller.start({ now: true });
  }

  /** Stops and waits for a run in progress. */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    await this.#poller.stop();
  }

  /**
   * Pushes everything due now; resolves with how many pushes were attempted. A run in progress
   * is waited for and then another is made, so what was due when this was called is covered.
   */
  runDue(): Promise<number> {
    return this.#poller.runDue();
  }

  async #runAll(): Promise<number> {
    const timeZone = await this.deps.business.timeZone();
    let total = 0;
    for (;;) {
      const claimed = await this.#claim();
      for (const push of claimed) await this.#pushOne(push, timeZone);
      total += claimed.length;
      if (claimed.length < BATCH) return total;
    }
  }

  async #claim(): Promise<Claimed[]> {
    const now = this.ctx.clock.now();
    return this.ctx.db.orm.transaction(async (tx) => {
      const t = calendarBookingPushes;
      const rows = await tx
        .select()
        .from(t)
        .where(and(eq(t.status, 'pending'), sql`${t.nextAttemptAt} <= ${now.toISOString()}::timestamptz`, sql`(${t.claimedUntil} is null or ${t.claimedUntil} <= ${now.toISOString()}::timestamptz)`))
        .orderBy(t.nextAttemptAt)
        .limit(BATCH)
        .for('update', { skipLocked: true });
      for (const row of rows) {
        await tx.update(t).set({ claimedUntil: new Date(now.getTime() + CLAIM_MS), attempts: row.attempts + 1 }).where(eq(t.id, row.id));
      }
      return rows.map((row) => ({
        id: row.id,
        bookingId: row.bookingId,
        integrationId: row.integrationId,
        action: row.action as 'upsert' | 'delete',
        attempt: row.attempts + 1,
        version: row.version,
        seriesStartedAt: row.seriesStartedAt,
      }));
    });
  }

  async #pushOne(push: Claimed, timeZone: string): Promise<void> {
    try {
      await pushBookingEvent(this.ctx, this.deps.api, push, timeZone);
      await this.#finish(push, { status: 'done', lastError: null });
    } catch (error) {
      const code = failureCode(error);
      const retry = retryable(error) ? nextAttemptAt({ attempt: push.attempt, scheduleMs: PUSH_SCHEDULE_MS, now: this.ctx.clock.now(), seriesStartedAt: push.seriesStartedAt, retryAfterMs: null }) : null;
      this.ctx.logger.warn({ push_id: push.id, booking_id: push.bookingId, integration_id: push.integrationId, attempt: push.attempt, reason: code, retry_at: retry?.toISOString() ?? null }, 'calendar push failed');
      const failed = await this.#finish(push, retry ? { status: 'pending', lastError: code, nextAttemptAt: retry } : { status: 'failed', lastError: code });
      if (failed) await this.#alert(push, code);
    }
  }

  /**
   * Records an outcome unless the booking changed while the push ran (its version moved): that
   * row is left pending for the new state. Returns whether the push was marked failed.
   */
  async #finish(push: Claimed, outcome: { status: 'done' | 'pending' | 'failed'; lastError: string | null; nextAttemptAt?: Date }): Promise<boolean> {
    const t = calendarBookingPushes;
    const now = this.ctx.clock.now();
    const same = and(eq(t.id, push.id), eq(t.version, push.version));
    const updated = await this.ctx.db.orm
      .update(t)
      .set({ status: outcome.status, lastError: outcome.lastError, claimedUntil: null, updatedAt: now, ...(outcome.nextAttemptAt ? { nextAttemptAt: outcome.nextAttemptAt } : {}) })
      .where(same)
      .returning({ id: t.id });
    if (updated.length === 0) await this.ctx.db.orm.update(t).set({ claimedUntil: null }).where(eq(t.id, push.id));
    return updated.length > 0 && outcome.status === 'failed';
  }

  async #alert(push: Claimed, code: string): Promise<void> {
    const [integration] = await this.ctx.db.orm.select({ provider: calendarIntegrations.provider }).from(calendarIntegrations).where(eq(calendarIntegrations.id, push.integrationId));
    const provider = integration?.provider ?? 'calendar';
    const why = code === 'NEEDS_REAUTH' ? 'the calendar must be connected again' : `the provider answered ${code}`;
    await this.deps.alerts.raise({
      type: 'calendar_push_failed',
      severity: 'warning',
      message: `A booking could not be ${push.action === 'delete' ? 'removed from' : 'written to'} the staff member's ${provider} calendar: ${why}. The booking itself is unaffected.`,
      context: { booking_id: push.bookingId, integration_id: push.integrationId, provider, action: push.action, reason: code, attempts: push.attempt },
      subject: { type: 'booking', id: push.bookingId },
    });
  }
}

/** Whether a failure may pass by itself. */
function retryable(error: unknown): boolean {
  if (error instanceof CalendarReauthRequired) return false;
  if (error instanceof CalendarApiError) return isTransient(error);
  // A token refresh that could not reach the provider; anything unexpected is retried too (a bug fixed by a deploy).
  if (error instanceof DomainError) return error.code === 'PROVIDER_UNAVAILABLE';
  return true;
}
