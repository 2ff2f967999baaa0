import { textArray } from '../db/sql-arrays.js';
import type { EmailOutcome } from '../providers/types.js';
import { Batcher } from '../workers/batcher.js';
import type { AlertService } from './alerts.js';
import type { ServiceContext } from './context.js';
import type { QueuedMessage } from './outbox-types.js';
import { claimMessagesSql, lockProviderMessagesSql, recordResultsSql, type ClaimInput, type StatusUpdate } from './outbox-sql.js';

/** Messages (or email batches) being sent at once. */
export const SEND_CONCURRENCY = 16;
/**
 * Most SMS claimed beyond the free send slots, while the provider is answering (see
 * {@link OutboxDispatcher}): claims are cut in chunks of at least half this, since on the
 * embedded database a statement's fixed cost is that of tens of rows. Small enough that a
 * claimed message reaches the provider within a few sends' time.
 */
export const CLAIM_AHEAD = 8 * SEND_CONCURRENCY;
/**
 * How long a result waits for others while sends are in flight: results are written off the
 * send path, so fewer, larger statements cost nothing in throughput.
 */
const RECORD_LINGER_MS = 10;
/**
 * How long a claim waits for messages that writes in progress are about to queue (see
 * {@link OutboxDispatcher.expectFrom}): under a stream of leads, each lead batch's welcomes
 * would otherwise be claimed in a statement of their own, a dozen rows paying the fixed cost
 * of a statement on the embedded database. Nothing waits when no such write is in progress.
 */
export const CLAIM_LINGER_MS = 20;
/** Most recipients handed to the email provider in one call (SendGrid's personalizations limit). */
export const EMAIL_BATCH_SIZE = 1000;

/** How an {@link OutboxDispatcher} works beyond its defaults. */
export interface DispatcherOptions {
  /** The business's quiet hours: automated messages claimed inside them are deferred to their end. */
  quietHours?: { quietUntil(now: Date): Promise<Date | null> };
  /** Longest wait of a claim for expected messages, in ms (default {@link CLAIM_LINGER_MS}). */
  claimLingerMs?: number;
}

/** What the claim found for a message: claimed, cancelled (paused, opted out, suppressed), or gone. */
type Claim = 'sending' | 'cancelled' | 'deferred' | 'gone';

/**
 * Hands committed outbox messages to their providers and records the results.
 *
 * Nothing reaches a provider before it is claimed: a batched statement flips it from `queued`
 * to `sending` only while it is still queued and — for an automated message — its contact's
 * automation is not paused, its number not opted out, its address not suppressed; otherwise
 * it is cancelled or left alone. A STOP or a staff reply that commits before the claim
 * therefore stops a message already in memory.
 *
 * SMS are claimed in batches ahead of the send slots, so a slot never waits for the database:
 * a message is claimed when a slot is free for it and, each time the provider answers a send,
 * up to {@link CLAIM_AHEAD} more. Claiming ahead is earned by answers: when the provider
 * stalls, nothing more is claimed, so at most `CLAIM_AHEAD` claimed messages wait behind it,
 * and a message arriving while every slot is stuck stays `queued` — stoppable — until one frees.
 * A slot is free again as soon as the provider answers; the result is written in the
 * background, in batches, and {@link OutboxDispatcher.drain} waits for it.
 */
export class OutboxDispatcher {
  readonly #statusWriter: Batcher<StatusUpdate, void>;
  readonly #claimer: Batcher<ClaimInput, Claim>;
  /** SMS not yet claimed. */
  readonly #sms: QueuedMessage[] = [];
  /** SMS claimed, waiting for a send slot. */
  readonly #ready: QueuedMessage[] = [];
  /** Emails waiting (claimed in their slot, with their batch). */
  readonly #emails: QueuedMessage[] = [];
  /**
   * Messages this instance has to send or record, with when their leases end: the leases are
   * renewed, and the messages never reclaimed by this instance.
   */
  readonly held = new Map<string, number>();
  #claiming = 0;
  #sending = 0;
  #idle: (() => void)[] = [];
  /** Counts of writes in progress that will queue messages (see {@link OutboxDispatcher.expectFrom}). */
  readonly #upcoming: (() => number)[] = [];

  constructor(
    private readonly ctx: ServiceContext,
    private readonly alerts: AlertService,
    options: DispatcherOptions = {},
  ) {
    this.#statusWriter = new Batcher({
      maxBatch: 500,
      upcoming: () => this.#sending,
      maxWaitMs: RECORD_LINGER_MS,
      run: async (updates) => {
        const write = recordResultsSql(updates, textArray(updates.map((u) => u.id)), ctx.clock.now());
        const providerIds = updates.flatMap((u) => (u.providerMessageId === null ? [] : [u.providerMessageId]));
        // PGlite runs one statement or transaction at a time: a status report is wholly before or
        // after the write. PostgreSQL needs the lock, or a report committing meanwhile is lost.
        if (ctx.db.kind === 'postgres' && providerIds.length > 0) {
          await ctx.db.transaction(async (run) => {
            await run(lockProviderMessagesSql(providerIds));
            await run(write);
          });
        } else await ctx.db.rows(write);
        return updates.map(() => undefined);
      },
    });
    // One statement per batch, whatever its size. The row's status is re-checked under its
    // lock, so a reply's cancellation or a STOP committed first wins.
    this.#claimer = new Batcher({
      maxBatch: 500,
      upcoming: () => this.#upcoming.reduce((sum, count) => sum + count(), 0),
      maxWaitMs: options.claimLingerMs ?? CLAIM_LINGER_MS,
      run: async (items) => {
        const deferUntil = (await options.quietHours?.quietUntil(ctx.clock.now())) ?? null;
        const rows = await ctx.db.rows<{ id: string; status: string }>(claimMessagesSql(items, deferUntil));
        const found = new Map(rows.map((r) => [r.id, r.status as Claim]));
        return items.map((item) => found.get(item.id) ?? 'gone');
      },
    });
  }

  /** Takes committed `queued` messages (the caller filtered out those written cancelled). */
  add(items: QueuedMessage[]): void {
    for (const item of items) {
      this.held.set(item.id, item.leaseEndsAt);
      (item.channel === 'email' ? this.#emails : this.#sms).push(item);
    }
    this.#pump(false);
  }

  /**
   * Registers a count of writes in progress whose commits will {@link OutboxDispatcher.add}
   * messages (the leads being verified and written: each batch queues its new contacts'
   * welcomes). While it is above zero, a claim waits up to its linger ({@link CLAIM_LINGER_MS}
   * unless configured) for those messages, so that a stream of small writes shares one claim
   * statement. Call {@link OutboxDispatcher.nudge} when the count drops.
   */
  expectFrom(count: () => number): void {
    this.#upcoming.push(count);
  }

  /** Re-checks a claim waiting for expected messages, after their count dropped. */
  nudge(): void {
    this.#claimer.nudge();
  }

  /** Messages waiting, being claimed, sent, or recorded. */
  get busy(): boolean {
    return !this.#isIdle() || this.#claimer.busy || this.#statusWriter.busy;
  }

  /** Resolves once every message taken has been sent (or failed, or not claimed) and recorded. */
  async drain(): Promise<void> {
    if (!this.#isIdle()) await new Promise<void>((resolve) => this.#idle.push(resolve));
    await this.#statusWriter.drain();
  }

  /** Records a result (a message that could not be sent) in the background; failures are logged. */
  record(update: StatusUpdate): Promise<void> {
    return this.#statusWriter.submit(update).then(
      () => void this.held.delete(update.id),
      (error: unknown) => {
        this.held.delete(update.id);
        this.ctx.logger.error({ message_id: update.id, err_message: (error as Error).message }, 'could not record message status');
      },
    );
  }

  #isIdle(): boolean {
    return this.#sms.length + this.#ready.length + this.#emails.length + this.#claiming + this.#sending === 0;
  }

  /** Claims what may be claimed, then fills the free send slots. `answered`: a send just got its answer. */
  #pump(answered: boolean): void {
    const claimed = this.#ready.length + this.#claiming;
    const free = Math.max(0, SEND_CONCURRENCY - this.#sending);
    // Ahead of the slots only on an answer, and in chunks (see CLAIM_AHEAD).
    const ahead = answered && claimed <= CLAIM_AHEAD / 2 ? CLAIM_AHEAD : 0;
    const wanted = free + ahead - claimed;
    for (let i = 0; i < wanted && this.#sms.length; i += 1) this.#claimSms(this.#sms.shift()!);
    while (this.#sending < SEND_CONCURRENCY) {
      let task: Promise<boolean>;
      if (this.#ready.length) task = this.#sendSms(this.#ready.shift()!);
      else if (this.#emails.length) task = this.#sendEmails(this.#nextEmails());
      else break;
      this.#sending += 1;
      void task.then((sent) => {
        this.#sending -= 1;
        this.#pump(sent);
        if (this.#isIdle()) this.#idle.splice(0).forEach((w) => w());
      });
    }
  }

  #claimSms(message: QueuedMessage): void {
    this.#claiming += 1;
    void this.#claim(message).then((claim) => {
      this.#claiming -= 1;
      if (claim === 'sending') this.#ready.push(message);
      else this.held.delete(message.id);
      this.#pump(false);
      if (this.#isIdle()) this.#idle.splice(0).forEach((w) => w());
    });
  }

  /** Up to {@link EMAIL_BATCH_SIZE} waiting emails of one bulk send (same `batch_id`, same content): one provider call. */
  #nextEmails(): QueuedMessage[] {
    const head = this.#emails.shift()!;
    if (!head.batchId) return [head];
    const unit = [head];
    for (let i = 0; i < this.#emails.length && unit.length < EMAIL_BATCH_SIZE; ) {
      const item = this.#emails[i]!;
      if (item.batchId === head.batchId) {
        unit.push(item);
        this.#emails.splice(i, 1);
      } else i += 1;
    }
    return unit;
  }

  /** Sends one claimed SMS; resolves (true: the provider answered) before its result is written. */
  async #sendSms(message: QueuedMessage): Promise<boolean> {
    const provider = this.ctx.providers.sms;
    try {
      const result = await provider.send({ id: message.id, to: message.to, body: message.body ?? '' });
      void this.record({ id: message.id, status: 'sent', providerMessageId: result.providerMessageId, error: null, sentAt: this.ctx.clock.now().toISOString() });
      return true;
    } catch (error) {
      // Provider errors are scrubbed of numbers (ProviderError); anything else is reduced to its class.
      const text = error instanceof Error && error.name === 'ProviderError' ? error.message : `SMS provider error (${(error as Error)?.name ?? 'unknown'})`;
      void this.record({ id: message.id, status: 'failed', providerMessageId: null, error: text, sentAt: null });
      this.ctx.logger.warn({ message_id: message.id, lead_id: message.leadId, provider: provider.name, err_message: text }, 'sms failed');
      await this.alerts.raise({
        type: 'sms_failed',
        severity: 'warning',
        message: `SMS ${message.id} could not be sent through ${provider.name}`,
        context: { message_id: message.id, lead_id: message.leadId, user_id: message.userId, provider: provider.name, error: text },
      });
      return false;
    }
  }

  /**
   * Sends emails that share their content in one provider call; each recipient gets its own
   * outcome. A provider that throws fails them all (and raises one alert).
   */
  async #sendEmails(unit: QueuedMessage[]): Promise<boolean> {
    const claims = await Promise.all(unit.map((m) => this.#claim(m)));
    const claimed = unit.filter((_, i) => claims[i] === 'sending');
    for (const m of unit) if (!claimed.includes(m)) this.held.delete(m.id);
    if (claimed.length === 0) return false;
    const provider = this.ctx.providers.email;
    const head = claimed[0]!;
    let outcomes: EmailOutcome[];
    try {
      outcomes = await provider.send({
        content: { subject: head.subject ?? null, text: head.body, templateId: head.templateId ?? null },
        recipients: claimed.map((m) => ({ messageId: m.id, to: m.to, ...(m.dynamicData ? { dynamicData: m.dynamicData } : {}) })),
      });
    } catch (error) {
      const text = error instanceof Error && error.name === 'ProviderError' ? error.message : `Email provider error (${(error as Error)?.name ?? 'unknown'})`;
      outcomes = claimed.map(() => ({ ok: false, error: text }));
    }
    const now = this.ctx.clock.now().toISOString();
    const updates = claimed.map((m, i): StatusUpdate => {
      const outcome = outcomes[i] ?? { ok: false, error: 'No outcome from the email provider' };
      return outcome.ok
        ? { id: m.id, status: 'sent', providerMessageId: outcome.providerMessageId, error: null, sentAt: now }
        : { id: m.id, status: 'failed', providerMessageId: null, error: outcome.error, sentAt: null };
    });
    for (const update of updates) void this.record(update);
    const failed = updates.filter((u) => u.status === 'failed');
    if (failed.length) {
      this.ctx.logger.warn({ message_ids: failed.map((u) => u.id).slice(0, 20), failed: failed.length, provider: provider.name, err_message: failed[0]!.error }, 'email failed');
      await this.alerts.raise({
        type: 'email_failed',
        severity: 'warning',
        message: `${failed.length} email(s) could not be sent through ${provider.name}`,
        context: { message_id: failed[0]!.id, failed: failed.length, provider: provider.name, error: failed[0]!.error },
      });
    }
    return failed.length < updates.length;
  }

  /**
   * Claims a message for sending. Not claimed: cancelled (automation paused, opted out,
   * suppressed), deferred (automated, inside quiet hours), or gone (another instance claimed it, or a reply cancelled it). If the claim
   * cannot be written the message stays queued, and its lease, no longer renewed, lets the
   * orphan sweep retry it.
   */
  async #claim(message: QueuedMessage): Promise<Claim | 'error'> {
    try {
      const channel = message.channel ?? 'sms';
      // The recipient's blind index: the claim rechecks opt-out and suppression without decrypting.
      const bidx = message.toBidx ?? (channel === 'email' ? this.ctx.phi.blind.email(message.to) : this.ctx.phi.blind.phone(message.to));
      const claim = await this.#claimer.submit({ id: message.id, channel, bidx });
      if (claim === 'cancelled') this.ctx.logger.info({ message_id: message.id, user_id: message.userId }, 'message cancelled at dispatch (automation paused, opted out or suppressed)');
      if (claim === 'deferred') this.ctx.logger.info({ message_id: message.id, user_id: message.userId }, 'automated message deferred: quiet hours');
      return claim;
    } catch (error) {
      this.ctx.logger.error({ message_id: message.id, err_message: (error as Error).message }, 'could not claim sms for sending');
      return 'error';
    }
  }
}
