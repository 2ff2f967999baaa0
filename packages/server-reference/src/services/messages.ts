import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import { maskPhone, type OutboundMessage } from '@careos/contract';
import { leaseMs } from '../config/lifecycle-config.js';
import type { RawRunner } from '../db/database.js';
import { newId } from '../domain/ids.js';
import { messages } from '../db/schema/index.js';
import { decodeCursor, page } from '../domain/cursor.js';
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
const SEND_CONCURRENCY = 16;

/** A message ready to hand to the SMS provider. */
export interface QueuedSms {
  id: string;
  to: string;
  body: string;
  leadId: string | null;
  userId: string | null;
  /** When the message's dispatch lease ends (epoch ms), as last written to the database. */
  leaseEndsAt: number;
}

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
}

/** Query of {@link MessageService.list}. */
export interface ListMessagesInput {
  limit: number;
  cursor?: string;
  leadId?: string;
  userId?: string;
}

/**
 * The SMS outbox. Messages are inserted `queued` in the same transaction as whatever caused
 * them; after commit they are sent in the background and marked `sent` or `failed`. A
 * provider failure never propagates: the message records the (phone-free) error and an ops
 * alert is raised. Messages orphaned by a crash are picked up again at start and by a sweep.
 */
export class MessageService {
  readonly #statusWriter: Batcher<StatusUpdate, void>;
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
             set status = u.status, provider_message_id = u.provider_message_id, error = u.error,
                 sent_at = u.sent_at, attempts = m.attempts + 1, locked_until = null
            from jsonb_to_recordset(${JSON.stringify(
              updates.map((u) => ({ id: u.id, status: u.status, provider_message_id: u.providerMessageId, error: u.error, sent_at: u.sentAt })),
            )}::jsonb) as u(id text, status text, provider_message_id text, error text, sent_at timestamptz)
           where m.id = u.id and m.id = any(${textArray(updates.map((u) => u.id))}::text[])`);
        return updates.map(() => undefined);
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
    const content = ctx.phi.cipher.sealJson(messages.contentEnc, { to: sms.to, body: sms.body } satisfies MessageContent);
    await run(sql`
      insert into messages (id, channel, kind, content_enc, language, status, provider, lead_id, user_id, attempts, locked_until, locked_by, created_at)
      values (${id}, 'sms', ${sms.kind}, ${content}, ${sms.language}, 'queued', ${this.providerName}, ${sms.leadId ?? null}, ${sms.userId ?? null}, 0,
              ${new Date(leaseEndsAt).toISOString()}::timestamptz, ${ctx.instanceId}, ${now.toISOString()}::timestamptz)`);
    return { id, to: sms.to, body: sms.body, leadId: sms.leadId ?? null, userId: sms.userId ?? null, leaseEndsAt };
  }

  /** Hands committed messages to the background sender. */
  enqueue(...items: QueuedSms[]): void {
    if (this.#closed) return;
    for (const item of items) this.#held.set(item.id, item.leaseEndsAt);
    this.#queue.push(...items);
    this.#pump();
  }

  /**
   * Claims queued messages nobody is sending — their owner instance is dead (see `instances`),
   * or their lease lapsed — and sends them. A message this instance already holds is never
   * claimed again here.
   */
  async recoverOrphans(): Promise<number> {
    const now = this.ctx.clock.now();
    const orphaned: SQL = sql`(not (id = any(${textArray([...this.#held.keys()])}::text[]))
      and (locked_until is null or locked_until < ${now.toISOString()}::timestamptz or not ${this.instances.alive(sql`locked_by`)}))`;
    const leaseEndsAt = now.getTime() + leaseMs(this.ctx.config.lifecycle);
    const rows = await this.ctx.db.rows<{ id: string; content_enc: string; lead_id: string | null; user_id: string | null }>(sql`
      update messages set locked_until = ${new Date(leaseEndsAt).toISOString()}::timestamptz, locked_by = ${this.ctx.instanceId}
       where id in (select id from messages where status = 'queued' and ${orphaned} order by id limit 500 for update skip locked)
       returning id, content_enc, lead_id, user_id`);
    if (rows.length) this.ctx.logger.info({ count: rows.length }, 'resending queued messages left by a previous run');
    // Decrypted only now, to hand to the provider; a message whose fields cannot be opened is
    // marked failed rather than retried for ever.
    const { cipher } = this.ctx.phi;
    const ready: QueuedSms[] = [];
    for (const r of rows) {
      try {
        const { to, body } = cipher.openJson<MessageContent>(messages.contentEnc, r.content_enc);
        ready.push({ id: r.id, to, body, leadId: r.lead_id, userId: r.user_id, leaseEndsAt });
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
       where id = any(${textArray(due)}::text[]) and status = 'queued' and locked_by = ${this.ctx.instanceId}`);
    for (const id of due) if (this.#held.has(id)) this.#held.set(id, now + lease);
  }

  /** Messages waiting, being sent, or being recorded. */
  get busy(): boolean {
    return this.#queue.length > 0 || this.#sending > 0 || this.#statusWriter.busy;
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

  /** Outbound messages, newest first, with numbers masked. */
  async list(input: ListMessagesInput): Promise<{ messages: OutboundMessage[]; nextCursor: string | null }> {
    const conditions: SQL[] = [];
    if (input.cursor) conditions.push(lt(messages.id, decodeCursor(input.cursor, 'msg')));
    if (input.leadId) conditions.push(eq(messages.leadId, input.leadId));
    if (input.userId) conditions.push(eq(messages.userId, input.userId));
    const rows = await this.ctx.db.orm
      .select()
      .from(messages)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(messages.id))
      .limit(input.limit + 1);
    const { items, nextCursor } = page(rows, input.limit);
    const { cipher } = this.ctx.phi;
    return {
      nextCursor,
      messages: items.map((m) => {
        const content = cipher.openJson<MessageContent>(messages.contentEnc, m.contentEnc!);
        return {
          id: m.id,
          channel: m.channel === 'email' ? 'email' : 'sms',
          kind: m.kind,
          to_masked: maskPhone(content.to),
          body: content.body,
          language: m.language,
          status: m.status === 'sent' ? 'sent' : m.status === 'failed' ? 'failed' : 'queued',
          provider: m.provider,
          provider_message_id: m.providerMessageId,
          error: m.error,
          lead_id: m.leadId,
          user_id: m.userId,
          created_at: m.createdAt.toISOString(),
          sent_at: m.sentAt?.toISOString() ?? null,
        };
      }),
    };
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
}
