import { sql, type SQL } from 'drizzle-orm';
import { leaseMs } from '../config/lifecycle-config.js';
import type { RawRunner } from '../db/database.js';
import { messages } from '../db/schema/index.js';
import { textArray } from '../db/sql-arrays.js';
import type { EmailOutcome } from '../providers/types.js';
import { Batcher } from '../workers/batcher.js';
import type { AlertService } from './alerts.js';
import type { AuditService } from './audit.js';
import { auditQueuedRows } from './comms/comms-audit.js';
import type { ServiceContext } from './context.js';
import type { InstanceRegistry } from './instances.js';
import { prepareOutbound } from './outbox-rows.js';
import type { NewOutbound, NewSms, QueuedMessage } from './outbox-types.js';
import { claimMessagesSql, insertMessagesSql, recordResultsSql, type ClaimInput, type SealedContent, type StatusUpdate } from './outbox-sql.js';

/**
 * The dispatch lease a message is queued with. Its instance renews it on every heartbeat while
 * the message waits; if the instance dies, the lease is free as soon as that is known.
 */
export const DISPATCH_LEASE_MS = 10_000;
/** Messages (or email batches) being sent at once. */
export const SEND_CONCURRENCY = 16;
/** Most recipients handed to the email provider in one call (SendGrid's personalizations limit). */
export const EMAIL_BATCH_SIZE = 1000;

/** What the dispatcher's claim found for a message (see `MessageService.#claimer`). */
type Claim = 'sending' | 'cancelled' | 'deferred' | 'gone';

export type { NewEmail, NewOutbound, NewSms, QueuedMessage, QueuedSms } from './outbox-types.js';

/**
 * The SMS outbox. Messages are inserted `queued` in the same transaction as whatever caused
 * them; after commit they are sent in the background and marked `sent` or `failed`. A
 * provider failure never propagates: the message records the (phone-free) error and an ops
 * alert is raised. Messages orphaned by a crash are picked up again at start and by a sweep.
 *
 * Nothing is handed to the provider before it is claimed: a batched statement flips it from
 * `queued` to `sending` only while it is still queued and — for an automated message — its
 * contact's automation is not paused; otherwise it is cancelled or left alone. A staff reply
 * that commits before the claim therefore stops an automated message already in this
 * instance's memory.
 */
export class MessageService {
  readonly #statusWriter: Batcher<StatusUpdate, void>;
  readonly #claimer: Batcher<ClaimInput, Claim>;
  readonly #queue: QueuedMessage[] = [];
  /**
   * Messages this instance has to send or record, with when their leases end: the leases are
   * renewed, and the messages never reclaimed by this instance.
   */
  readonly #held = new Map<string, number>();
  #sending = 0;
  #idle: (() => void)[] = [];
  #closed = false;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly alerts: AlertService,
    /** Who is alive: messages of a dead instance are orphans. */
    private readonly instances: InstanceRegistry,
    /** Writes each queued message's `SMS_SENT` / `EMAIL_SENT` row in the queueing transaction. */
    private readonly audit?: AuditService,
    /** The business's quiet hours: automated messages claimed inside them are deferred to their end. */
    private readonly quietHours?: { quietUntil(now: Date): Promise<Date | null> },
  ) {
    this.#statusWriter = new Batcher({
      maxBatch: 500,
      run: async (updates) => {
        await ctx.db.rows(recordResultsSql(updates, textArray(updates.map((u) => u.id)), ctx.clock.now()));
        return updates.map(() => undefined);
      },
    });
    // One statement per batch, whatever its size: lead ingestion queues welcomes by the hundred.
    // The row's status is re-checked under its lock, so a reply's cancellation or a STOP committed first wins.
    this.#claimer = new Batcher({
      maxBatch: 500,
      run: async (items) => {
        const deferUntil = (await this.quietHours?.quietUntil(ctx.clock.now())) ?? null;
        const rows = await ctx.db.rows<{ id: string; status: string }>(claimMessagesSql(items, textArray(items.map((i) => i.id)), deferUntil));
        const found = new Map(rows.map((r) => [r.id, r.status as Claim]));
        return items.map((item) => found.get(item.id) ?? 'gone');
      },
    });
  }

  /** Name stored with new messages. */
  get providerName(): string {
    return this.ctx.providers.sms.name;
  }

  /**
   * Writes an SMS `queued` inside the caller's transaction, leased to this instance, and returns
   * it ready for {@link MessageService.enqueue} once that transaction commits: the message and
   * the event that caused it are stored together or not at all, and nothing is sent for a
   * rolled-back event. See {@link MessageService.insertQueuedMany} for what is checked.
   */
  async insertQueued(run: RawRunner, sms: NewSms): Promise<QueuedMessage> {
    const [queued] = await this.insertQueuedMany(run, [sms]);
    return queued!;
  }

  /**
   * Writes outbound messages (SMS and email) `queued` in one statement inside the caller's
   * transaction. Recorded `cancelled` instead: an automated message for a contact whose
   * automation is paused (`automation_paused`), an SMS to an opted-out number (`opted_out`), an
   * email to a suppressed address (`suppressed`). A message carrying PHI on a channel without a
   * BAA is sent as the generic secure-message notice (the automated default, see
   * docs/decisions.md); `POST /comms` refuses such a send before it gets here unless asked for the notice.
   *
   * Each message queued (not those recorded cancelled) gets its HIPAA audit row in the same
   * transaction — actor the staff author, or `system` for an automation — unless the caller
   * writes its own (`audited: true`, as `POST /comms` does with the request's IP).
   */
  async insertQueuedMany(run: RawRunner, items: NewOutbound[], options: { audited?: boolean } = {}): Promise<QueuedMessage[]> {
    if (items.length === 0) return [];
    const { ctx } = this;
    const now = ctx.clock.now();
    const leaseEndsAt = now.getTime() + DISPATCH_LEASE_MS;
    const { blind } = ctx.phi;
    const indexOf = (item: NewOutbound) => (item.channel === 'email' ? blind.email(item.to) : blind.phone(item.to));
    const indexes = items.map(indexOf);
    const blocked = await this.#blockedIndexes(run, items, indexes);
    const prepared = items.map((item, i) =>
      prepareOutbound(item, { ctx, smsProvider: this.providerName, leaseEndsAt, now, cancelReason: blocked.has(indexes[i]!) ? (item.channel === 'email' ? 'suppressed' : 'opted_out') : null }),
    );
    const written = await run<{ id: string; status: 'queued' | 'cancelled' }>(
      insertMessagesSql(prepared.map((p) => p.row), { until: new Date(leaseEndsAt), by: ctx.instanceId }, now),
    );
    const status = new Map(written.map((r) => [r.id, r.status]));
    const result = prepared.map(({ queued }) => ({ ...queued, status: status.get(queued.id) ?? 'cancelled' }));
    if (!options.audited && this.audit) await auditQueuedRows(run, this.audit, prepared.map((p) => p.row).filter((row) => status.get(row.id) === 'queued'), now);
    return result;
  }

  /** Blind indexes among `indexes` whose number is opted out or whose address is suppressed. */
  async #blockedIndexes(run: RawRunner, items: NewOutbound[], indexes: string[]): Promise<Set<string>> {
    const phones = indexes.filter((_, i) => items[i]!.channel !== 'email');
    const emails = indexes.filter((_, i) => items[i]!.channel === 'email');
    const rows = await run<{ bidx: string }>(sql`
      select phone_bidx as bidx from sms_opt_outs where active and phone_bidx in (select jsonb_array_elements_text(${JSON.stringify(phones)}::jsonb))
      union all
      select email_bidx as bidx from email_suppressions where active and email_bidx in (select jsonb_array_elements_text(${JSON.stringify(emails)}::jsonb))`);
    return new Set(rows.map((r) => r.bidx));
  }

  /** Hands committed messages to the background sender; those written `cancelled` are skipped. */
  enqueue(...items: QueuedMessage[]): void {
    if (this.#closed) return;
    const due = items.filter((item) => item.status === 'queued');
    for (const item of due) this.#held.set(item.id, item.leaseEndsAt);
    this.#queue.push(...due);
    this.#pump();
  }

  /**
   * Claims queued messages nobody is sending — their owner instance is dead (see `instances`),
   * or their lease lapsed — and sends them. A message this instance already holds is never
   * claimed again here. A message left `sending` by a dead instance may or may not have reached
   * the provider: it is queued again (delivery is at least once). Either way it goes through the
   * dispatcher's claim, so a message for a contact whose automation is paused is cancelled, not sent.
   * Messages deferred by quiet hours whose time has come are queued here too (every heartbeat).
   */
  async recoverOrphans(): Promise<number> {
    const now = this.ctx.clock.now();
    const orphaned: SQL = sql`(not (id = any(${textArray([...this.#held.keys()])}::text[]))
      and (locked_until is null or locked_until < ${now.toISOString()}::timestamptz or not ${this.instances.alive(sql`locked_by`)}))`;
    const leaseEndsAt = now.getTime() + leaseMs(this.ctx.config.lifecycle);
    const rows = await this.ctx.db.rows<{ id: string; channel: string; content_enc: string; lead_id: string | null; user_id: string | null; template_id: string | null; batch_id: string | null }>(sql`
      update messages set status = 'queued', locked_until = ${new Date(leaseEndsAt).toISOString()}::timestamptz, locked_by = ${this.ctx.instanceId}
       where id in (select id from messages
                     where (status in ('queued', 'sending') and ${orphaned})
                        or (status = 'deferred' and send_after <= ${now.toISOString()}::timestamptz)
                     order by id limit 500 for update skip locked)
       returning id, channel, content_enc, lead_id, user_id, template_id, batch_id`);
    if (rows.length) this.ctx.logger.info({ count: rows.length }, 'resending queued messages left by a previous run');
    // Decrypted only now, to hand to the provider; a message whose fields cannot be opened is
    // marked failed rather than retried for ever.
    const { cipher } = this.ctx.phi;
    const ready: QueuedMessage[] = [];
    for (const r of rows) {
      try {
        const content = cipher.openJson<SealedContent>(messages.contentEnc, r.content_enc);
        const email = r.channel === 'email';
        ready.push({
          id: r.id,
          channel: email ? 'email' : 'sms',
          to: content.to,
          body: content.body,
          subject: content.subject ?? null,
          templateId: email && content.body === null ? r.template_id : null,
          dynamicData: content.dynamic_data ?? null,
          batchId: r.batch_id,
          leadId: r.lead_id,
          userId: r.user_id,
          leaseEndsAt,
          status: 'queued',
        });
      } catch (error) {
        const text = (error as Error).message;
        this.ctx.logger.error({ message_id: r.id, err_message: text }, 'queued message cannot be decrypted');
        void this.#statusWriter.submit({ id: r.id, status: 'failed', providerMessageId: null, error: text, sentAt: null }).catch(() => undefined);
      }
    }
    this.enqueue(...ready);
    return rows.length;
  }

  /**
   * Extends the dispatch leases of the messages this instance still has to send (called on
   * each heartbeat), so that a long queue is never mistaken for an orphaned one. Only leases
   * with less than a full lease minus one heartbeat left are renewed: they keep the same
   * margin for missed heartbeats as renewing all, and a message sent within a heartbeat or
   * two of its lead (nearly all) is never rewritten for its lease.
   */
  async renewLeases(): Promise<void> {
    const now = this.ctx.clock.now().getTime();
    const lease = leaseMs(this.ctx.config.lifecycle);
    const renewBefore = now + lease - this.ctx.config.lifecycle.heartbeatIntervalMs;
    const due = [...this.#held].filter(([, endsAt]) => endsAt < renewBefore).map(([id]) => id);
    if (due.length === 0) return;
    await this.ctx.db.rows(sql`
      update messages set locked_until = ${new Date(now + lease).toISOString()}::timestamptz
       where id = any(${textArray(due)}::text[]) and status in ('queued', 'sending') and locked_by = ${this.ctx.instanceId}`);
    for (const id of due) if (this.#held.has(id)) this.#held.set(id, now + lease);
  }

  /** Messages waiting, being sent, or being recorded. */
  get busy(): boolean {
    return this.#queue.length > 0 || this.#sending > 0 || this.#claimer.busy || this.#statusWriter.busy;
  }

  /** Resolves once every queued message has been sent (or failed) and recorded. */
  async drain(): Promise<void> {
    if (this.#queue.length || this.#sending) await new Promise<void>((resolve) => this.#idle.push(resolve));
    await this.#statusWriter.drain();
  }

  /** Stops taking new messages; those already queued are still sent by {@link drain}. */
  close(): void {
    this.#closed = true;
  }

  #pump(): void {
    while (this.#sending < SEND_CONCURRENCY && this.#queue.length) {
      const unit = this.#nextUnit();
      this.#sending += 1;
      void (unit.length === 1 && unit[0]!.channel !== 'email' ? this.#send(unit[0]!) : this.#sendEmails(unit)).finally(() => {
        this.#sending -= 1;
        if (this.#queue.length) this.#pump();
        else if (this.#sending === 0) this.#idle.splice(0).forEach((w) => w());
      });
    }
  }

  /**
   * The next thing to send: one SMS, or up to {@link EMAIL_BATCH_SIZE} queued emails that share
   * their content (one bulk send's `batch_id`), which the email provider takes in one call.
   */
  #nextUnit(): QueuedMessage[] {
    const head = this.#queue.shift()!;
    if (head.channel !== 'email' || !head.batchId) return [head];
    const unit = [head];
    for (let i = 0; i < this.#queue.length && unit.length < EMAIL_BATCH_SIZE; ) {
      const item = this.#queue[i]!;
      if (item.channel === 'email' && item.batchId === head.batchId) {
        unit.push(item);
        this.#queue.splice(i, 1);
      } else i += 1;
    }
    return unit;
  }

  async #send(message: QueuedMessage): Promise<void> {
    if ((await this.#claim(message)) !== 'sending') {
      this.#held.delete(message.id);
      return;
    }
    const provider = this.ctx.providers.sms;
    let update: StatusUpdate;
    try {
      const result = await provider.send({ id: message.id, to: message.to, body: message.body ?? '' });
      update = { id: message.id, status: 'sent', providerMessageId: result.providerMessageId, error: null, sentAt: this.ctx.clock.now().toISOString() };
    } catch (error) {
      // Provider errors are scrubbed of numbers (ProviderError); anything else is reduced to its class.
      const text = error instanceof Error && error.name === 'ProviderError' ? error.message : `SMS provider error (${(error as Error)?.name ?? 'unknown'})`;
      update = { id: message.id, status: 'failed', providerMessageId: null, error: text, sentAt: null };
      this.ctx.logger.warn({ message_id: message.id, lead_id: message.leadId, provider: provider.name, err_message: text }, 'sms failed');
      await this.alerts.raise({
        type: 'sms_failed',
        severity: 'warning',
        message: `SMS ${message.id} could not be sent through ${provider.name}`,
        context: { message_id: message.id, lead_id: message.leadId, user_id: message.userId, provider: provider.name, error: text },
      });
    }
    await this.#record([update]);
    this.#held.delete(message.id);
  }

  /**
   * Sends emails that share their content in one provider call; each recipient gets its own
   * outcome. A provider that throws fails them all (and raises one alert).
   */
  async #sendEmails(unit: QueuedMessage[]): Promise<void> {
    const claims = await Promise.all(unit.map((m) => this.#claim(m)));
    const claimed = unit.filter((_, i) => claims[i] === 'sending');
    for (const m of unit) if (!claimed.includes(m)) this.#held.delete(m.id);
    if (claimed.length === 0) return;
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
    await this.#record(updates);
    for (const m of claimed) this.#held.delete(m.id);
  }

  async #record(updates: StatusUpdate[]): Promise<void> {
    await Promise.all(
      updates.map((update) =>
        this.#statusWriter.submit(update).catch((error: unknown) => {
          this.ctx.logger.error({ message_id: update.id, err_message: (error as Error).message }, 'could not record message status');
        }),
      ),
    );
  }

  /**
   * Claims a message for sending. Not claimed: cancelled (its contact's automation is paused), or
   * gone (another instance claimed it, or a reply cancelled it). If the claim cannot be written
   * the message stays queued, and its lease, no longer renewed, lets the orphan sweep retry it.
   */
  async #claim(message: QueuedMessage): Promise<Claim | 'error'> {
    try {
      const channel = message.channel ?? 'sms';
      // The recipient's blind index: the claim rechecks opt-out and suppression without decrypting.
      const bidx = channel === 'email' ? this.ctx.phi.blind.email(message.to) : this.ctx.phi.blind.phone(message.to);
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
