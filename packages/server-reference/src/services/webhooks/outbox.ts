import type { WebhookEventType } from '@careos/contract';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.js';
import { webhookDeliveries, webhookEndpoints } from '../../db/schema/index.js';
import { newId } from '../../domain/ids.js';
import type { ServiceContext } from '../context.js';

/** Who an event is for: a therapist's integration endpoints, or a lead partner's endpoints. */
export type WebhookAudience = { kind: 'therapist'; therapistId: string } | { kind: 'partner'; partnerId: string };

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
   * The body is the event's data plus `type` and `timestamp`, serialised once: every attempt
   * signs and sends exactly these bytes.
   * @returns the number of deliveries queued
   */
  async emit(on: Executor, event: WebhookEventType, audience: WebhookAudience, data: Record<string, unknown>): Promise<number> {
    const owner =
      audience.kind === 'therapist'
        ? and(eq(webhookEndpoints.ownerKind, 'integration'), eq(webhookEndpoints.therapistId, audience.therapistId))
        : and(eq(webhookEndpoints.ownerKind, 'partner'), eq(webhookEndpoints.ownerId, audience.partnerId));
    const endpoints = await on
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(and(owner, isNull(webhookEndpoints.disabledAt), sql`${webhookEndpoints.events} @> ${JSON.stringify([event])}::jsonb`));
    if (endpoints.length === 0) return 0;
    const now = this.ctx.clock.now();
    const body = JSON.stringify({ type: event, timestamp: now.toISOString(), ...data });
    await on.insert(webhookDeliveries).values(
      endpoints.map((endpoint) => ({
        id: newId('whmsg', now),
        endpointId: endpoint.id,
        eventType: event,
        body,
        status: 'pending',
        nextAttemptAt: now,
        createdAt: now,
      })),
    );
    // Wake the delivery worker once the caller's transaction has had a chance to commit; the
    // worker's periodic poll picks the rows up anyway, so a missed wake-up only delays.
    for (const listener of this.listeners) queueMicrotask(listener);
    return endpoints.length;
  }

  /** Calls `listener` after every emit (the delivery worker uses it to start early). */
  onEmit(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
