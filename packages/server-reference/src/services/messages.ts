import { sql, type SQL } from 'drizzle-orm';
import { leaseMs } from '../config/lifecycle-config.js';
import type { RawRunner } from '../db/database.js';
import { newId } from '../domain/ids.js';
import { messages } from '../db/schema/index.js';
import { textArray } from '../db/sql-arrays.js';
import { Batcher } from '../workers/batcher.js';
import type { AlertService } from './alerts.js';
import type { ServiceContext } from './context.js';
import type { MessageContent } from './lead-write.js';
import type { InstanceRegistry } from './instances.js';

/**
 * The dispatch lease a message is queued with. Its instance renews it on every heartbeat while
 * the message waits; if the instance dies, the lease is free as soon as that is known.
 */
export const DISPATCH_LEASE_MS = 10_000;
/** Messages being sent at once. */
export const SEND_CONCURRENCY = 16;

/** A message ready to hand to the SMS provider. */
export interface QueuedSms {
  id: string;
  to: string;
  body: string;
  leadId: string | null;
  userId: string | null;
  /** When the message's dispatch lease ends (epoch ms), as last written to the database. */
  leaseEndsAt: number;
  /** `cancelled` when written for a contact whose automation is paused: never sent. */
  status: 'queued' | 'cancelled';
}

/** What the dispatcher's claim found for a message (see `MessageService.#claimer`). */
type Claim = 'sending' | 'cancelled' | 'gone';

interface StatusUpdate {
  id: string;
  status: 'sent' | 'failed';
  providerMessageId: string | null;
  error: string | null;
  sentAt: string | null;
}

/** An SMS to queue in the caller's transaction (see {@link MessageService.insertQueued}). */
export interface NewSms {
  /** Why it is sent, e.g. `welcome`. */
  kind: string;
  /** E.164 phone. */
  to: string;
  body: string;
  language: string;
  leadId?: string | null;
  userId?: string | null;
  /**
   * Sent by an automation (welcome, booking confirmation and reminders; the default): held back
   * while the contact's automation is paused. False for what a person sends: a staff reply, a
   * reminder staff trigger themselves.
   */
  automated?: boolean;
  /** The staff member who wrote it. */
  authorStaffId?: string | null;
}

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
  readonly #claimer: Batcher<string, Claim>;
  readonly #queue: QueuedSms[] = [];
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
  ) {
    this.#statusWriter = new Batcher({
      maxBatch: 500,
      run: async (updates) => {
        await ctx.db.rows(sql`
          update messages as m
             -- A delivery report may have moved it past 'sent' already: status never moves back.
             set status = case when m.status in ('delivered', 'undelivered') then m.status else u.status end, provider_message_id = u.provider_message_id, error = u.error,
                 sent_at = u.sent_at, attempts = m.attempts + 1, locked_until = null
            from jsonb_to_recordset(${JSON.stringify(
              updates.map((u) => ({ id: u.id, status: u.status, provider_message_id: u.providerMessageId, error: u.error, sent_at: u.sentAt })),
            )}::jsonb) as u(id text, status text, provider_message_id text, error text, sent_at timestamptz)
           where m.id = u.id and m.id = any(${textArray(updates.map((u) => u.id))}::text[])`);
        return updates.map(() => undefined);
      },
    });
    // One statement per batch, whatever its size: lead ingestion queues welcomes by the hundred.
    // The row's status is re-checked under its lock, so a reply's cancellation committed first wins.
    this.#claimer = new Batcher({
      maxBatch: 500,
      run: async (ids) => {
        const rows = await ctx.db.rows<{ id: string; status: string }>(sql`
          with due as (
            select m.id, m.automated and coalesce(u.automation_paused, false) as paused
              from messages m left join users u on u.id = m.user_id
             where m.id = any(${textArray(ids)}::text[]) and m.status = 'queued')
          update messages as m
             set status = case when due.paused then 'cancelled' else 'sending' end,
                 cancel_reason = case when due.paused then 'automation_paused' end,
                 locked_until = case when due.paused then null else m.locked_until end
            from due
           where m.id = due.id and m.status = 'queued'
          returning m.id, m.status`);
        const found = new Map(rows.map((r) => [r.id, r.status as Claim]));
        return ids.map((id) => found.get(id) ?? 'gone');
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
   * rolled-back event.
   */
  async insertQueued(run: RawRunner, sms: NewSms): Promise<QueuedSms> {
    const { ctx } = this;
    const now = ctx.clock.now();
    const id = newId('msg', now);
    const leaseEndsAt = now.getTime() + DISPATCH_LEASE_MS;
    const automated = sms.automated ?? true;
    const userId = sms.userId ?? null;
    const content = ctx.phi.cipher.sealJson(messages.contentEnc, { to: sms.to, body: sms.body } satisfies MessageContent);
    // An automated message for a contact whose automation is paused is recorded, already cancelled.
    const [row] = await run<{ status: 'queued' | 'cancelled' }>(sql`
      insert into messages (id, channel, direction, kind, automated, author_staff_id, content_enc, language, status, cancel_reason, provider,
                            lead_id, user_id, attempts, locked_until, locked_by, created_at)
      select ${id}, 'sms', 'outbound', ${sms.kind}, ${automated}, ${sms.authorStaffId ?? null}, ${content}, ${sms.language},
             case when p.paused then 'cancelled' else 'queued' end, case when p.paused then 'automation_paused' end, ${this.providerName},
             ${sms.leadId ?? null}, ${userId}, 0, case when p.paused then null else ${new Date(leaseEndsAt).toISOString()}::timestamptz end,
             ${ctx.instanceId}, ${now.toISOString()}::timestamptz
        from (select ${automated}::boolean and exists (select 1 from users where id = ${userId} and automation_paused) as paused) p
      returning status`);
    return { id, to: sms.to, body: sms.body, leadId: sms.leadId ?? null, userId, leaseEndsAt, status: row!.status };
  }

  /** Hands committed messages to the background sender; those written `cancelled` are skipped. */
  enqueue(...items: QueuedSms[]): void {
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
   */
  async recoverOrphans(): Promise<number> {
    const now = this.ctx.clock.now();
    const orphaned: SQL = sql`(not (id = any(${textArray([...this.#held.keys()])}::text[]))
      and (locked_until is null or locked_until < ${now.toISOString()}::timestamptz or not ${this.instances.alive(sql`locked_by`)}))`;
    const leaseEndsAt = now.getTime() + leaseMs(this.ctx.config.lifecycle);
    const rows = await this.ctx.db.rows<{ id: string; content_enc: string; lead_id: string | null; user_id: string | null }>(sql`
      update messages set status = 'queued', locked_until = ${new Date(leaseEndsAt).toISOString()}::timestamptz, locked_by = ${this.ctx.instanceId}
       where id in (select id from messages where status in ('queued', 'sending') and ${orphaned} order by id limit 500 for update skip locked)
       returning id, content_enc, lead_id, user_id`);
    if (rows.length) this.ctx.logger.info({ count: rows.length }, 'resending queued messages left by a previous run');
    // Decrypted only now, to hand to the provider; a message whose fields cannot be opened is
    // marked failed rather than retried for ever.
    const { cipher } = this.ctx.phi;
    const ready: QueuedSms[] = [];
    for (const r of rows) {
      try {
        const { to, body } = cipher.openJson<MessageContent>(messages.contentEnc, r.content_enc);
        ready.push({ id: r.id, to, body, leadId: r.lead_id, userId: r.user_id, leaseEndsAt, status: 'queued' });
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
      const message = this.#queue.shift()!;
      this.#sending += 1;
      void this.#send(message).finally(() => {
        this.#sending -= 1;
        if (this.#queue.length) this.#pump();
        else if (this.#sending === 0) this.#idle.splice(0).forEach((w) => w());
      });
    }
  }

  async #send(message: QueuedSms): Promise<void> {
    if ((await this.#claim(message)) !== 'sending') {
      this.#held.delete(message.id);
      return;
    }
    const provider = this.ctx.providers.sms;
    let update: StatusUpdate;
    try {
      const result = await provider.send({ id: message.id, to: message.to, body: message.body });
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
    await this.#statusWriter.submit(update).catch((error: unknown) => {
      this.ctx.logger.error({ message_id: message.id, err_message: (error as Error).message }, 'could not record sms status');
    });
    this.#held.delete(message.id);
  }

  /**
   * Claims a message for sending. Not claimed: cancelled (its contact's automation is paused), or
   * gone (another instance claimed it, or a reply cancelled it). If the claim cannot be written
   * the message stays queued, and its lease, no longer renewed, lets the orphan sweep retry it.
   */
  async #claim(message: QueuedSms): Promise<Claim | 'error'> {
    try {
      const claim = await this.#claimer.submit(message.id);
      if (claim === 'cancelled') this.ctx.logger.info({ message_id: message.id, user_id: message.userId }, 'automated sms cancelled: automation paused for the contact');
      return claim;
    } catch (error) {
      this.ctx.logger.error({ message_id: message.id, err_message: (error as Error).message }, 'could not claim sms for sending');
      return 'error';
    }
  }
}
