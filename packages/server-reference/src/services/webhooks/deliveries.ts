import { ErrorCode, ErrorText, WebhookAttemptOutcome, type WebhookDelivery, type WebhookDeliveryDetail, type WebhookEventType } from '@careos/contract';
import { and, asc, desc, eq, lt, type SQL } from 'drizzle-orm';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from '../../db/schema/index.js';
import { decodeCursor, page } from '../../domain/cursor.js';
import { DomainError } from '../../domain/errors.js';
import type { ServiceContext } from '../context.js';
import type { WebhookOutbox } from './outbox.js';

/** Query of {@link WebhookDeliveryService.list}. */
export interface ListDeliveriesInput {
  limit: number;
  cursor?: string;
  status?: WebhookDelivery['status'];
  event?: WebhookEventType;
  endpointId?: string;
}

type DeliveryRow = typeof webhookDeliveries.$inferSelect;

function deliveryDto(row: DeliveryRow, url: string): WebhookDelivery {
  return {
    id: row.id,
    endpoint_id: row.endpointId,
    url,
    event: row.eventType as WebhookEventType,
    status: row.status === 'delivered' ? 'delivered' : row.status === 'failed' ? 'failed' : 'pending',
    attempts: row.attempts,
    next_attempt_at: row.nextAttemptAt?.toISOString() ?? null,
    last_attempt_at: row.lastAttemptAt?.toISOString() ?? null,
    last_status_code: row.lastStatusCode,
    last_error: row.lastError,
    delivered_at: row.deliveredAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

const notFound = () => new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: 'No webhook delivery has this id' });

/**
 * The operations view of the outbox: where each delivery stands, its attempt history, and
 * redelivery. Bodies are not shown here: they can carry client details, and the receiver
 * already has them.
 */
export class WebhookDeliveryService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly outbox: WebhookOutbox,
  ) {}

  /** Deliveries, newest first. */
  async list(input: ListDeliveriesInput): Promise<{ deliveries: WebhookDelivery[]; nextCursor: string | null }> {
    const conditions: SQL[] = [];
    if (input.status) conditions.push(eq(webhookDeliveries.status, input.status));
    if (input.event) conditions.push(eq(webhookDeliveries.eventType, input.event));
    if (input.endpointId) conditions.push(eq(webhookDeliveries.endpointId, input.endpointId));
    if (input.cursor) conditions.push(lt(webhookDeliveries.id, decodeCursor(input.cursor, 'whmsg')));
    const rows = await this.ctx.db.orm
      .select({ delivery: webhookDeliveries, url: webhookEndpoints.url })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(webhookDeliveries.id))
      .limit(input.limit + 1);
    const { items, nextCursor } = page(rows.map((r) => ({ id: r.delivery.id, ...r })), input.limit);
    return { deliveries: items.map((r) => deliveryDto(r.delivery, r.url)), nextCursor };
  }

  /** One delivery with its attempts, oldest first. */
  async get(id: string): Promise<WebhookDeliveryDetail> {
    // One snapshot for both reads: an attempt starts and ends in the same statements that count
    // it on the delivery, so the two agree only when read together.
    const { row, attempts } = await this.ctx.db.orm.transaction(
      async (tx) => {
        const [row] = await tx
          .select({ delivery: webhookDeliveries, url: webhookEndpoints.url })
          .from(webhookDeliveries)
          .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
          .where(eq(webhookDeliveries.id, id));
        const attempts = row ? await tx.select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, id)).orderBy(asc(webhookAttempts.startedAt), asc(webhookAttempts.id)) : [];
        return { row, attempts };
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    if (!row) throw notFound();
    return {
      ...deliveryDto(row.delivery, row.url),
      attempt_history: attempts.map((a) => ({
        id: a.id,
        attempt: a.attempt,
        outcome: WebhookAttemptOutcome.parse(a.outcome),
        started_at: a.startedAt.toISOString(),
        duration_ms: a.durationMs,
        status_code: a.statusCode,
        error: a.error,
      })),
    };
  }

  /**
   * Queues a delivery again now, whatever its status: a new series of attempts with the same
   * body and `webhook-id`. An attempt in flight keeps going but no longer decides the outcome.
   */
  async redeliver(id: string): Promise<WebhookDelivery> {
    const now = this.ctx.clock.now();
    const [updated] = await this.ctx.db.orm
      .update(webhookDeliveries)
      .set({ status: 'pending', attempts: 0, nextAttemptAt: now, lockedUntil: null, lockedBy: null, leaseId: null, deliveredAt: null })
      .where(eq(webhookDeliveries.id, id))
      .returning();
    if (!updated) throw notFound();
    const [endpoint] = await this.ctx.db.orm.select({ url: webhookEndpoints.url }).from(webhookEndpoints).where(eq(webhookEndpoints.id, updated.endpointId));
    this.ctx.logger.info({ delivery_id: id, event: updated.eventType, endpoint_id: updated.endpointId }, 'webhook redelivery queued');
    this.outbox.notify();
    return deliveryDto(updated, endpoint!.url);
  }
}
