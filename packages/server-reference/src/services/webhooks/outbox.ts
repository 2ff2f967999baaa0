import { WEBHOOK_EVENT_SCHEMAS, type IntegrationWebhookEventType, type PartnerWebhookEventType, type WebhookEventPayload, type WebhookEventType } from '@careos/contract';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.js';
import { webhookDeliveries, webhookEndpoints } from '../../db/schema/index.js';
import { newId } from '../../domain/ids.js';
import type { ServiceContext } from '../context.js';
import { jittered } from './retry-policy.js';

/** Who an event is for: a therapist's integration endpoints, or a lead partner's endpoints. */
export type WebhookAudience = { kind: 'therapist'; therapistId: string } | { kind: 'partner'; partnerId: string };

/** The audience an event type goes to. */
export type AudienceOf<E extends WebhookEventType> = E extends IntegrationWebhookEventType
  ? { kind: 'therapist'; therapistId: string }
  : E extends PartnerWebhookEventType
    ? { kind: 'partner'; partnerId: string }
    : never;

/**
 * What a caller passes to {@link WebhookOutbox.emit}: the event's fields without `type` and
 * `timestamp` (the outbox adds them); a therapist event's `therapistId` may be left out, the
 * audience's is used.
 */
export type WebhookEventData<E extends WebhookEventType> = Omit<WebhookEventPayload<E>, 'type' | 'timestamp' | 'therapistId'> &
  (E extends IntegrationWebhookEventType ? { therapistId?: string } : unknown);

/**
 * Writes webhook events into the durable outbox (`webhook_deliveries`), one row per subscribed
 * endpoint. Callers pass the executor of their own transaction so that the event commits, or
 * rolls back, together with the change that caused it; the delivery worker sends it later.
 */
export class WebhookOutbox {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Queues `event` for every live endpoint of `audience` subscribed to it.
   * The body is `{ type, timestamp, therapistId?, ...data }`, serialised once: every attempt
   * signs and sends exactly these bytes.
   * @returns the number of deliveries queued
   */
  async emit<E extends WebhookEventType>(on: Executor, event: E, audience: AudienceOf<E>, data: WebhookEventData<E>): Promise<number> {
    return (await this.emitReturningIds(on, event, audience, data)).length;
  }

  /** {@link emit}, returning the ids of the deliveries queued (the `webhook-id` each endpoint will see). */
  async emitReturningIds<E extends WebhookEventType>(on: Executor, event: E, audience: AudienceOf<E>, data: WebhookEventData<E>): Promise<string[]> {
    const target = audience as WebhookAudience;
    const owner =
      target.kind === 'therapist'
        ? and(eq(webhookEndpoints.ownerKind, 'integration'), eq(webhookEndpoints.therapistId, target.therapistId))
        : and(eq(webhookEndpoints.ownerKind, 'partner'), eq(webhookEndpoints.ownerId, target.partnerId));
    const endpoints = await on
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(and(owner, isNull(webhookEndpoints.disabledAt), sql`${webhookEndpoints.events} @> ${JSON.stringify([event])}::jsonb`));
    if (endpoints.length === 0) return [];
    const now = this.ctx.clock.now();
    const payload = {
      type: event,
      timestamp: now.toISOString(),
      ...data,
      // The audience decides who receives it, so it also decides what the body says.
      ...(target.kind === 'therapist' ? { therapistId: target.therapistId } : {}),
    };
    // Tests run with response validation on: a payload off the contract fails the emitting test, not a receiver.
    if (this.ctx.config.validateResponses) WEBHOOK_EVENT_SCHEMAS[event].parse(payload);
    // Sealed once: every endpoint's row and every attempt carries the same bytes.
    const bodyEnc = this.ctx.phi.cipher.seal(webhookDeliveries.bodyEnc, JSON.stringify(payload));
    const firstAttempt = new Date(now.getTime() + jittered(this.ctx.config.webhooks.retryScheduleMs[0] ?? 0));
    const rows = endpoints.map((endpoint) => ({
      id: newId('whmsg', now),
      endpointId: endpoint.id,
      eventType: event,
      bodyEnc,
      status: 'pending',
      nextAttemptAt: firstAttempt,
      createdAt: now,
    }));
    await on.insert(webhookDeliveries).values(rows);
    this.notify();
    return rows.map((row) => row.id);
  }

  /**
   * Tells listeners that deliveries became due. Called after the rows are written but possibly
   * before the writing transaction commits: the worker looks again shortly and polls anyway,
   * so an early wake-up only delays a delivery, never loses it.
   */
  notify(): void {
    for (const listener of this.listeners) setImmediate(listener);
  }

  /** Calls `listener` after every emit or redelivery (the delivery worker uses it to start early). */
  onEmit(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
