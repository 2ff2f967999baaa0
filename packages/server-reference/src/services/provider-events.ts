import type { MessageStatus } from '@careos/contract';
import { sql } from 'drizzle-orm';
import type { RawRunner } from '../db/database.js';
import { isStatusAdvance } from '@careos/contract';
import { statusOfSendGrid, statusOfTwilio, SUPPRESSING_EVENTS } from '../domain/delivery-status.js';
import { newId } from '../domain/ids.js';
import type { AuditService } from './audit.js';
import type { ServiceContext } from './context.js';
import type { OptOutService } from './comms/opt-outs.js';
import { lockProviderMessagesSql } from './outbox-sql.js';

/** A stored event, before it is written. */
export interface NewMessageEvent {
  messageId: string | null;
  provider: 'twilio' | 'sendgrid';
  providerEventId: string;
  providerMessageId: string | null;
  type: string;
  status: MessageStatus | null;
  action: string | null;
  errorCode: string | null;
  addressBidx: string | null;
  occurredAt: Date | null;
}

/** What a Twilio status callback did (see {@link ProviderEventService.twilioStatus}). */
export interface StatusOutcome {
  messageId: string | null;
  status: MessageStatus | null;
  duplicate: boolean;
}

/** One SendGrid event as the webhook reads it (other fields are not kept). */
export interface SendGridEventInput {
  event: string;
  sg_event_id: string;
  sg_message_id?: string | undefined;
  timestamp: number;
  email?: unknown;
  careos_message_id?: string | undefined;
  type?: string | undefined;
  status?: unknown;
}

/** Who the audit rows of webhook decisions name: the provider, not a person. */
export interface WebhookActor {
  provider: 'twilio' | 'sendgrid';
  ip: string | null;
  requestId: string;
}

/**
 * Inserts an event unless one with the same provider event id exists; `null` for a duplicate.
 * The unique index makes this safe against the same post arriving twice at once.
 */
export async function insertEvent(run: RawRunner, event: NewMessageEvent, now: Date): Promise<string | null> {
  const id = newId('mev', now);
  const rows = await run<{ id: string }>(sql`
    insert into message_events (id, message_id, provider, provider_event_id, provider_message_id, type, status, action, error_code, address_bidx, occurred_at, received_at)
    values (${id}, ${event.messageId}, ${event.provider}, ${event.providerEventId}, ${event.providerMessageId}, ${event.type}, ${event.status}, ${event.action},
            ${event.errorCode}, ${event.addressBidx}, ${event.occurredAt?.toISOString() ?? null}, ${now.toISOString()})
    on conflict (provider, provider_event_id) do nothing
    returning id`);
  return rows[0]?.id ?? null;
}

/**
 * Moves a message to `next` when that is forward (see `isStatusAdvance`), under the row's lock so
 * two reports racing cannot move it back; returns its status afterwards (`null`: no such message).
 */
async function advance(run: RawRunner, messageId: string, next: MessageStatus | null, error: string | null): Promise<MessageStatus | null> {
  const [row] = await run<{ status: MessageStatus }>(sql`select status from messages where id = ${messageId} for update`);
  if (!row) return null;
  if (next === null || !isStatusAdvance(row.status, next)) return row.status;
  await run(sql`update messages set status = ${next}, error = coalesce(${error}, error) where id = ${messageId}`);
  return next;
}

/**
 * Delivery reports from the providers: each kept in `message_events` (once, however often it is
 * posted), each moving its message's status forward only, and the SendGrid events that mean
 * "send no more" suppressing the address — every such decision audited with ids only.
 */
export class ProviderEventService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
    private readonly optOuts: OptOutService,
  ) {}

  /**
   * A Twilio status callback: `MessageSid` names our message by its provider id. A callback
   * that comes before that id is written (Twilio's answer to the send is still on its way) is
   * kept without a message, and applied when the id is written (see `recordResultsSql`).
   */
  async twilioStatus(input: { messageSid: string; messageStatus: string; errorCode: string | undefined }): Promise<StatusOutcome> {
    const { ctx } = this;
    const next = statusOfTwilio(input.messageStatus);
    const now = ctx.clock.now();
    return ctx.db.transaction(async (run) => {
      // Either the send's result is committed before the look-up below, or it sees this event.
      if (ctx.db.kind === 'postgres') await run(lockProviderMessagesSql([input.messageSid]));
      const [message] = await run<{ id: string; status: MessageStatus }>(sql`
        select id, status from messages where provider_message_id = ${input.messageSid} and direction = 'outbound' order by id limit 1`);
      const inserted = await insertEvent(
        run,
        {
          messageId: message?.id ?? null,
          provider: 'twilio',
          providerEventId: `${input.messageSid}:${input.messageStatus}`,
          providerMessageId: input.messageSid,
          type: input.messageStatus,
          status: next,
          action: null,
          errorCode: input.errorCode ?? null,
          addressBidx: null,
          occurredAt: null,
        },
        now,
      );
      if (!message) return { messageId: null, status: null, duplicate: inserted === null };
      if (inserted === null) return { messageId: message.id, status: message.status, duplicate: true };
      const error = input.errorCode && (next === 'undelivered' || next === 'failed') ? `twilio error ${input.errorCode}` : null;
      return { messageId: message.id, status: await advance(run, message.id, next, error), duplicate: false };
    });
  }

  /**
   * A SendGrid Event Webhook batch. Each event is matched to our message by the custom arg
   * `careos_message_id`, stored once per `sg_event_id`, moves the message forward, and a
   * bounce, drop, spam report or unsubscribe suppresses the address.
   */
  async sendgridEvents(events: readonly SendGridEventInput[], actor: WebhookActor): Promise<{ received: number; duplicates: number; unmatched: number }> {
    const { ctx } = this;
    let received = 0;
    let duplicates = 0;
    let unmatched = 0;
    for (const event of events) {
      const email = typeof event.email === 'string' && event.email.includes('@') ? event.email : null;
      const suppression = email === null ? undefined : SUPPRESSING_EVENTS.get(event.event);
      const next = statusOfSendGrid(event.event);
      const now = ctx.clock.now();
      const outcome = await ctx.db.transaction(async (run) => {
        const messageId = event.careos_message_id ?? null;
        const [message] = messageId ? await run<{ id: string }>(sql`select id from messages where id = ${messageId}`) : [];
        const inserted = await insertEvent(
          run,
          {
            messageId: message?.id ?? null,
            provider: 'sendgrid',
            providerEventId: event.sg_event_id,
            providerMessageId: event.sg_message_id ?? null,
            type: event.event,
            status: next,
            action: suppression ? 'suppressed' : null,
            errorCode: bounceCode(event),
            addressBidx: email === null ? null : ctx.phi.blind.email(email),
            occurredAt: new Date(event.timestamp * 1000),
          },
          now,
        );
        if (inserted === null) return { eventId: null, matched: message !== undefined };
        if (message) await advance(run, message.id, next, next === 'undelivered' || next === 'failed' ? `sendgrid ${event.event}${event.type ? ` (${event.type})` : ''}` : null);
        return { eventId: inserted, matched: message !== undefined };
      });
      if (outcome.eventId === null) {
        duplicates++;
        continue;
      }
      received++;
      if (!outcome.matched) unmatched++;
      if (suppression) {
        await this.optOuts.suppress(email!, suppression);
        this.#audit(actor, 'SUPPRESS', 'message_event', outcome.eventId);
      }
    }
    return { received, duplicates, unmatched };
  }

  /** Audits a decision a webhook made (suppression, opt-out, opt-in), naming ids only. */
  recordDecision(actor: WebhookActor, method: string, subjectType: string, subjectId: string): void {
    this.#audit(actor, method, subjectType, subjectId);
  }

  #audit(actor: WebhookActor, method: string, subjectType: string, subjectId: string): void {
    this.audit.record({
      actorType: 'system',
      actorId: actor.provider,
      partnerId: null,
      method,
      route: `webhook:${actor.provider}`,
      subjectType,
      subjectId,
      status: 200,
      ip: actor.ip,
      requestId: actor.requestId,
    });
  }
}

/** A bounce's classification (`bounce`/`blocked`) and SMTP status, without the reason text (it can quote the address). */
function bounceCode(event: SendGridEventInput): string | null {
  const status = typeof event.status === 'string' && /^[\d.]{1,16}$/.test(event.status) ? event.status : null;
  const parts = [event.type && /^[a-z_]{1,32}$/.test(event.type) ? event.type : null, status].filter(Boolean);
  return parts.length ? parts.join(' ') : null;
}
