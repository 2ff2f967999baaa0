import { smsSegments, type SmsSegmentInfo } from '@careos/contract';
import { sql, type SQL } from 'drizzle-orm';
import { leaseMs } from '../config/lifecycle-config.js';
import type { RawRunner } from '../db/database.js';
import { messages } from '../db/schema/index.js';
import { textArray } from '../db/sql-arrays.js';
import type { AlertService } from './alerts.js';
import type { AuditService } from './audit.js';
import { auditQueuedRows } from './comms/comms-audit.js';
import type { ServiceContext } from './context.js';
import type { InstanceRegistry } from './instances.js';
import { prepareOutbound } from './outbox-rows.js';
import type { NewOutbound, NewSms, QueuedMessage } from './outbox-types.js';
import { OutboxDispatcher, type DispatcherOptions } from './outbox-dispatcher.js';
import { insertMessagesSql, type SealedContent } from './outbox-sql.js';

/**
 * The dispatch lease a message is queued with. Its instance renews it on every heartbeat while
 * the message waits; if the instance dies, the lease is free as soon as that is known.
 */
export const DISPATCH_LEASE_MS = 10_000;
export { EMAIL_BATCH_SIZE, SEND_CONCURRENCY } from './outbox-dispatcher.js';

export type { NewEmail, NewOutbound, NewSms, QueuedMessage, QueuedSms } from './outbox-types.js';

/**
 * The outbox. Messages are inserted `queued` in the same transaction as whatever caused them;
 * after commit they are sent in the background (see {@link OutboxDispatcher}: claimed first, so
 * a STOP or a staff reply committed before the claim stops them) and marked `sent` or
 * `failed`. A provider failure never propagates: the message records the (phone-free) error and
 * an ops alert is raised. Messages orphaned by a crash are picked up again at start and by a sweep.
 */
export class MessageService {
  readonly #dispatcher: OutboxDispatcher;
  #closed = false;

  constructor(
    private readonly ctx: ServiceContext,
    alerts: AlertService,
    /** Who is alive: messages of a dead instance are orphans. */
    private readonly instances: InstanceRegistry,
    /** Writes each queued message's `SMS_SENT` / `EMAIL_SENT` row in the queueing transaction. */
    private readonly audit?: AuditService,
    /** The business's quiet hours: automated messages claimed inside them are deferred to their end. */
    quietHours?: DispatcherOptions['quietHours'],
  ) {
    this.#dispatcher = new OutboxDispatcher(ctx, alerts, { quietHours });
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
    const indexOf = (item: NewOutbound) => item.toBidx ?? (item.channel === 'email' ? blind.email(item.to) : blind.phone(item.to));
    const indexes = items.map(indexOf);
    const blocked = await this.#blockedIndexes(run, items, indexes);
    // A bulk send has one body for all: its segments are counted once, not per recipient.
    const sizes = new Map<string, SmsSegmentInfo>();
    const sizeOf = (body: string) => {
      let size = sizes.get(body);
      if (size === undefined) sizes.set(body, (size = smsSegments(body)));
      return size;
    };
    const prepared = items.map((item, i) =>
      prepareOutbound(item, {
        ctx,
        smsProvider: this.providerName,
        leaseEndsAt,
        now,
        cancelReason: blocked.has(indexes[i]!) ? (item.channel === 'email' ? 'suppressed' : 'opted_out') : null,
        toBidx: indexes[i]!,
        sizeOf,
      }),
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

  /**
   * Registers a count of writes in progress that will {@link MessageService.enqueue} messages
   * once they commit; their claim waits briefly for them (see `OutboxDispatcher.expectFrom`).
   * Returns the function to call whenever the count drops.
   */
  expectFrom(count: () => number): () => void {
    this.#dispatcher.expectFrom(count);
    return () => this.#dispatcher.nudge();
  }

  /** Hands committed messages to the background sender; those written `cancelled` are skipped. */
  enqueue(...items: QueuedMessage[]): void {
    if (this.#closed) return;
    this.#dispatcher.add(items.filter((item) => item.status === 'queued'));
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
    const orphaned: SQL = sql`(not (id = any(${textArray([...this.#dispatcher.held.keys()])}::text[]))
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
        void this.#dispatcher.record({ id: r.id, status: 'failed', providerMessageId: null, error: text, sentAt: null });
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
    const due = [...this.#dispatcher.held].filter(([, endsAt]) => endsAt < renewBefore).map(([id]) => id);
    if (due.length === 0) return;
    await this.ctx.db.rows(sql`
      update messages set locked_until = ${new Date(now + lease).toISOString()}::timestamptz
       where id = any(${textArray(due)}::text[]) and status in ('queued', 'sending') and locked_by = ${this.ctx.instanceId}`);
    for (const id of due) if (this.#dispatcher.held.has(id)) this.#dispatcher.held.set(id, now + lease);
  }

  /** Messages waiting, being sent, or being recorded. */
  get busy(): boolean {
    return this.#dispatcher.busy;
  }

  /** Resolves once every queued message has been sent (or failed) and recorded. */
  drain(): Promise<void> {
    return this.#dispatcher.drain();
  }

  /** Stops taking new messages; those already queued are still sent by {@link drain}. */
  close(): void {
    this.#closed = true;
  }
}
