import { randomUUID } from 'node:crypto';
import { and, eq, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Agent } from 'undici';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from '../db/schema/index.js';
import { leaseMs } from '../config/lifecycle-config.js';
import { textArray } from '../db/sql-arrays.js';
import { newId } from '../domain/ids.js';
import type { AlertService } from '../services/alerts.js';
import type { ServiceContext } from '../services/context.js';
import type { InstanceRegistry } from '../services/instances.js';
import { ENDPOINT_REMOVED_ERROR } from '../services/webhooks/endpoints.js';
import type { WebhookOutbox } from '../services/webhooks/outbox.js';
import { nextAttemptAt, parseRetryAfter } from '../services/webhooks/retry-policy.js';
import type { WebhookSecrets } from '../services/webhooks/secrets.js';
import type { WebhookUrlPolicy } from '../services/webhooks/url-policy.js';
import { deliveryHeaders } from '../services/webhooks/signing.js';
import { createWebhookAgent, postWebhook, WEBHOOK_TIMEOUT_MS, type AttemptOutcome } from './webhook-request.js';

const TIMER_SLACK_MS = 5;

/** The `error` of an attempt whose instance stopped before recording a response. */
export const INTERRUPTED_ERROR = 'Interrupted: the sending instance stopped before a response was recorded';

/** Options of {@link WebhookDeliveryWorker}. */
export interface WebhookWorkerOptions {
  /** How often the outbox is polled for due attempts (default 1 s). */
  pollIntervalMs?: number;
  /** Attempts in flight at once (default 16). */
  concurrency?: number;
  /** Timeout of one attempt (default 10 s). */
  timeoutMs?: number;
}

/** A due delivery this instance claimed. */
interface ClaimedDelivery {
  id: string;
  endpointId: string;
  event: string;
  body: string;
  createdAt: Date;
  url: string;
  secretCiphertext: string;
  /** Start of the series' first attempt (`null` before it). */
  seriesStartedAt: Date | null;
  /** The claim taken; the attempt is made, and its outcome decides, only while it still holds. */
  leaseId: string;
}

const toDate = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));

/**
 * Sends due webhook deliveries from the outbox. Each delivery is claimed with a short lease in
 * one statement (`FOR UPDATE SKIP LOCKED`), so instances sharing a database never send the same
 * attempt at once; the lease is renewed on every heartbeat while the attempt is in flight, and
 * is free as soon as its instance is known dead (see `instances`). Every attempt is recorded as
 * `sending` before its request goes out and completed after, so an attempt cut short by a crash
 * stays in the history (marked `interrupted` by whoever takes the delivery over). A failure is
 * rescheduled by the retry policy or, after the last attempt, marked `failed` with an ops alert.
 * Nothing about a delivery lives only in memory: after a restart the first poll picks up
 * whatever is due. Logs carry ids, event type and status, never a body or a secret.
 */
export class WebhookDeliveryWorker {
  readonly #pollIntervalMs: number;
  readonly #concurrency: number;
  readonly #timeoutMs: number;
  #agent: Agent | null = null;
  #running = false;
  #cycle: Promise<void> | null = null;
  #again = false;
  /** The last claim filled every free slot, so more may be due. */
  #backlog = false;
  #poll: NodeJS.Timeout | null = null;
  /** Times (ms since epoch) at which a delivery this instance knows of becomes due. */
  #wakeAt: number[] = [];
  #timer: NodeJS.Timeout | null = null;
  #timerAt = Number.POSITIVE_INFINITY;
  readonly #inFlight = new Set<Promise<void>>();
  /** Deliveries this instance holds a lease on, by id, with the claim. */
  readonly #held = new Map<string, string>();
  #unsubscribe: (() => void) | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly deps: { outbox: WebhookOutbox; secrets: WebhookSecrets; alerts: AlertService; instances: InstanceRegistry; urlPolicy: WebhookUrlPolicy },
    options: WebhookWorkerOptions = {},
  ) {
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#concurrency = options.concurrency ?? 16;
    this.#timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  }

  /** Starts polling (now, then every poll interval) and listening for new events. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#agent = createWebhookAgent(this.deps.urlPolicy);
    this.#unsubscribe = this.deps.outbox.onEmit(() => {
      this.poke();
      // The wake-up may come before the emitting transaction commits; look again shortly.
      this.#wakeIn(50);
    });
    // The poll finds what other instances scheduled, and what a restart left due.
    this.#poll = setInterval(() => this.poke(), this.#pollIntervalMs);
    this.#poll.unref();
    this.poke();
  }

  /** Looks for due deliveries now. */
  poke(): void {
    if (!this.#running) return;
    if (this.#cycle) {
      this.#again = true;
      return;
    }
    this.#cycle = this.#claimAndSend()
      .catch((error: unknown) => this.ctx.logger.error({ err_message: (error as Error).message }, 'webhook delivery poll failed'))
      .finally(() => {
        this.#cycle = null;
        if (this.#again) {
          this.#again = false;
          this.poke();
        }
      });
  }

  /** Resolves when no attempt is in flight (deliveries scheduled for later stay scheduled). */
  async idle(): Promise<void> {
    while (this.#cycle || this.#inFlight.size) {
      await this.#cycle;
      await Promise.all(this.#inFlight);
    }
  }

  /** Stops claiming, lets attempts in flight finish and record their outcome, closes connections. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#unsubscribe?.();
    if (this.#poll) clearInterval(this.#poll);
    if (this.#timer) clearTimeout(this.#timer);
    this.#poll = null;
    this.#timer = null;
    this.#wakeAt = [];
    await this.idle();
    await this.#agent?.close();
    this.#agent = null;
  }

  /** Extends the leases of the attempts in flight (called on each heartbeat). */
  async renewLeases(): Promise<void> {
    if (this.#held.size === 0) return;
    const until = new Date(this.ctx.clock.now().getTime() + leaseMs(this.ctx.config.lifecycle));
    const ids = [...this.#held.keys()];
    await this.ctx.db.rows(sql`
      update webhook_deliveries set locked_until = ${until.toISOString()}::timestamptz
       where id = any(${textArray(ids)}::text[]) and locked_by = ${this.ctx.instanceId}`);
  }

  /** Pokes in `ms`. Every requested time is kept, so an earlier wake-up never swallows a later one. */
  #wakeIn(ms: number): void {
    if (!this.#running) return;
    this.#wakeAt.push(Date.now() + Math.max(0, ms));
    this.#arm();
  }

  #arm(): void {
    if (!this.#running || this.#wakeAt.length === 0) return;
    const next = Math.min(...this.#wakeAt);
    if (this.#timer && this.#timerAt <= next) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerAt = next;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#timerAt = Number.POSITIVE_INFINITY;
      const now = Date.now();
      this.#wakeAt = this.#wakeAt.filter((at) => at > now);
      this.poke();
      this.#arm();
    }, Math.max(0, next - Date.now()));
    this.#timer.unref();
  }

  async #claimAndSend(): Promise<void> {
    const free = this.#concurrency - this.#inFlight.size;
    if (free > 0) {
      const claimed = await this.#claim(free);
      this.#backlog = claimed.length === free;
      for (const delivery of claimed) {
        this.#held.set(delivery.id, delivery.leaseId);
        const attempt = this.#attempt(delivery).catch((error: unknown) => {
          this.ctx.logger.error({ delivery_id: delivery.id, err_message: (error as Error).message }, 'could not record webhook attempt');
        });
        this.#inFlight.add(attempt);
        void attempt.finally(() => {
          if (this.#held.get(delivery.id) === delivery.leaseId) this.#held.delete(delivery.id);
          this.#inFlight.delete(attempt);
          if (this.#backlog) this.poke();
        });
      }
    }
  }

  /**
   * Takes up to `limit` due deliveries nobody holds: no lease, a lapsed lease, or a lease of an
   * instance that is dead. In the same statement, attempts that a dead instance left `sending`
   * on the deliveries taken are marked `interrupted`.
   */
  async #claim(limit: number): Promise<ClaimedDelivery[]> {
    const now = this.ctx.clock.now();
    const lockedUntil = new Date(now.getTime() + leaseMs(this.ctx.config.lifecycle));
    const leaseId = randomUUID();
    const free = sql`(locked_until is null or locked_until < ${now.toISOString()}::timestamptz or not ${this.deps.instances.alive(sql`locked_by`)})`;
    const rows = await this.ctx.db.rows<Record<string, unknown>>(sql`
      with claimed as (
        update webhook_deliveries as d
           set locked_until = ${lockedUntil.toISOString()}::timestamptz, locked_by = ${this.ctx.instanceId}, lease_id = ${leaseId}
          from webhook_endpoints as e
         where e.id = d.endpoint_id
           and d.id in (select id from webhook_deliveries
                         where status = 'pending' and next_attempt_at <= ${now.toISOString()}::timestamptz and ${free}
                         order by next_attempt_at limit ${limit} for update skip locked)
        returning d.id, d.endpoint_id, d.event_type, d.body_enc, d.created_at, e.url, e.secret_ciphertext
      ), interrupted as (
        update webhook_attempts as a
           set outcome = 'interrupted', error = ${INTERRUPTED_ERROR}
          from claimed as c
         where a.delivery_id = c.id and a.outcome = 'sending' and not ${this.deps.instances.alive(sql`a.instance_id`)}
        returning a.id
      )
      select c.*, (select max(a.started_at) from webhook_attempts as a where a.delivery_id = c.id and a.attempt = 1) as series_started_at,
             (select count(*) from interrupted)::int as interrupted_count
        from claimed as c`);
    const interrupted = Number(rows[0]?.interrupted_count ?? 0);
    if (interrupted > 0) this.ctx.logger.warn({ count: interrupted }, 'webhook attempts interrupted by a stopped instance; sending them again');
    return rows.map((r) => ({
      id: String(r.id),
      endpointId: String(r.endpoint_id),
      event: String(r.event_type),
      body: this.ctx.phi.cipher.open(webhookDeliveries.bodyEnc, String(r.body_enc)),
      createdAt: toDate(r.created_at),
      url: String(r.url),
      secretCiphertext: String(r.secret_ciphertext),
      seriesStartedAt: r.series_started_at == null ? null : toDate(r.series_started_at),
      leaseId,
    }));
  }

  /**
   * Whether the delivery's endpoint was removed. Removal fails the endpoint's pending deliveries,
   * but one claimed just before it (or redelivered after it) would still be sent: this is read
   * right before the POST, so such a delivery is abandoned rather than sent to a receiver that
   * is gone. Abandoning it is recorded only while our lease holds, like any outcome.
   */
  async #abandonIfEndpointRemoved(delivery: ClaimedDelivery): Promise<boolean> {
    const [removed] = await this.ctx.db.orm
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, delivery.endpointId), isNotNull(webhookEndpoints.disabledAt)));
    if (!removed) return false;
    await this.ctx.db.orm
      .update(webhookDeliveries)
      .set({ status: 'failed', nextAttemptAt: null, lockedUntil: null, lockedBy: null, leaseId: null, lastError: ENDPOINT_REMOVED_ERROR })
      .where(this.#stillOurs(delivery));
    this.ctx.logger.info({ delivery_id: delivery.id, event: delivery.event, endpoint_id: delivery.endpointId }, 'webhook not sent: its endpoint was removed');
    return true;
  }

  /** Matches the delivery only while this claim of it holds (not redelivered, not taken over). */
  #stillOurs(delivery: ClaimedDelivery): SQL | undefined {
    return and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.lockedBy, this.ctx.instanceId), eq(webhookDeliveries.leaseId, delivery.leaseId));
  }

  /**
   * Records the attempt as `sending` and counts it, before any byte goes out, provided the
   * claim still holds. Returns its number, or `null` when the delivery is no longer ours.
   */
  async #recordStart(delivery: ClaimedDelivery, attemptId: string, startedAt: Date): Promise<number | null> {
    const [row] = await this.ctx.db.rows<{ attempt: number }>(sql`
      with ours as (
        update webhook_deliveries set attempts = attempts + 1, last_attempt_at = ${startedAt.toISOString()}::timestamptz
         where id = ${delivery.id} and locked_by = ${this.ctx.instanceId} and lease_id = ${delivery.leaseId}
        returning attempts)
      insert into webhook_attempts (id, delivery_id, attempt, outcome, instance_id, started_at, duration_ms)
      select ${attemptId}, ${delivery.id}, attempts, 'sending', ${this.ctx.instanceId}, ${startedAt.toISOString()}::timestamptz, 0 from ours
      returning attempt`);
    return row ? Number(row.attempt) : null;
  }

  async #attempt(delivery: ClaimedDelivery): Promise<void> {
    if (await this.#abandonIfEndpointRemoved(delivery)) return;
    const startedAt = this.ctx.clock.now();
    const attemptId = newId('whatt', startedAt);
    const attempt = await this.#recordStart(delivery, attemptId, startedAt);
    if (attempt === null) {
      this.ctx.logger.info({ delivery_id: delivery.id, event: delivery.event }, 'webhook not sent: the delivery was redelivered or taken over meanwhile');
      return;
    }
    let outcome: AttemptOutcome;
    try {
      const secret = await this.deps.secrets.open(delivery.secretCiphertext, delivery.endpointId);
      const headers = deliveryHeaders(secret, { id: delivery.id, event: delivery.event, body: delivery.body }, startedAt);
      outcome = await postWebhook(this.#agent!, delivery.url, delivery.body, headers, this.#timeoutMs, this.deps.urlPolicy);
    } catch (error) {
      outcome = { statusCode: null, retryAfter: undefined, error: `Could not sign: ${(error as Error).message}`.slice(0, 200), durationMs: 0 };
    }
    const now = this.ctx.clock.now();
    const delivered = outcome.error === null;
    // A receiver the URL policy refuses stays refused: fail now rather than retry for a day.
    const next = delivered || outcome.permanent
      ? null
      : nextAttemptAt({
          attempt,
          scheduleMs: this.ctx.config.webhooks.retryScheduleMs,
          now,
          seriesStartedAt: attempt === 1 ? startedAt : (delivery.seriesStartedAt ?? startedAt),
          retryAfterMs: parseRetryAfter(outcome.retryAfter, now),
        });
    const status = delivered ? 'delivered' : next ? 'pending' : 'failed';

    const owned = await this.ctx.db.orm.transaction(async (tx) => {
      // The history says what happened, whoever owns the delivery by now.
      await tx
        .update(webhookAttempts)
        .set({ outcome: delivered ? 'delivered' : 'failed', durationMs: outcome.durationMs, statusCode: outcome.statusCode, error: outcome.error })
        .where(eq(webhookAttempts.id, attemptId));
      const updated = await tx
        .update(webhookDeliveries)
        .set({
          status,
          nextAttemptAt: next,
          lockedUntil: null,
          lockedBy: null,
          leaseId: null,
          lastStatusCode: outcome.statusCode,
          lastError: outcome.error,
          deliveredAt: delivered ? now : null,
        })
        // Only while our claim holds: a redelivery (or a takeover from an instance thought dead) wins.
        .where(this.#stillOurs(delivery))
        .returning({ id: webhookDeliveries.id });
      return updated.length > 0;
    });

    const fields = { delivery_id: delivery.id, event: delivery.event, endpoint_id: delivery.endpointId, attempt, status_code: outcome.statusCode, duration_ms: outcome.durationMs };
    if (!owned) {
      this.ctx.logger.info(fields, 'webhook attempt recorded in history only: the delivery was redelivered or taken over meanwhile');
      return;
    }
    if (status === 'delivered') this.ctx.logger.info(fields, 'webhook delivered');
    else if (status === 'pending') {
      this.ctx.logger.warn({ ...fields, err_message: outcome.error, next_attempt_at: next!.toISOString() }, 'webhook attempt failed; will retry');
      // A little late rather than early: a timer may fire a millisecond before the row is due by the clock.
      this.#wakeIn(next!.getTime() - now.getTime() + TIMER_SLACK_MS);
    } else {
      this.ctx.logger.error({ ...fields, err_message: outcome.error }, 'webhook delivery failed; no attempts left');
      await this.deps.alerts.raise({
        type: 'webhook_failed',
        severity: 'warning',
        message: `Webhook ${delivery.id} (${delivery.event}) to endpoint ${delivery.endpointId} failed after ${attempt} attempts`,
        context: { delivery_id: delivery.id, endpoint_id: delivery.endpointId, event: delivery.event, attempts: attempt, last_status_code: outcome.statusCode, last_error: outcome.error },
      });
    }
  }
}
