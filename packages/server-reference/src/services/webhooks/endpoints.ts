import { ErrorCode, ErrorText, type DeleteWebhookResponse, type WebhookEndpoint, type WebhookEventType } from '@careos/contract';
import { and, desc, eq, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { webhookDeliveries, webhookEndpoints } from '../../db/schema/index.js';
import { decodeCursor, page } from '../../domain/cursor.js';
import { DomainError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { ServiceContext } from '../context.js';
import type { WebhookSecrets } from './secrets.js';
import { WebhookUrlRefused, type WebhookUrlPolicy } from './url-policy.js';

/** Who owns an endpoint: an integration partner acting for one therapist, or a lead partner. */
export type WebhookOwner = { kind: 'integration'; partnerId: string; therapistId: string } | { kind: 'partner'; partnerId: string };

/** An endpoint just registered, with its secret in clear: the only time it is available. */
export interface RegisteredEndpoint {
  endpoint: WebhookEndpoint;
  secret: string;
}

type EndpointRow = typeof webhookEndpoints.$inferSelect;

function endpointDto(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    events: row.events as WebhookEventType[],
    owner_kind: row.ownerKind === 'integration' ? 'integration' : 'partner',
    owner_id: row.ownerId,
    therapist_id: row.therapistId,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    disabled_at: row.disabledAt?.toISOString() ?? null,
  };
}

function ownerCondition(owner: WebhookOwner): SQL {
  return owner.kind === 'integration'
    ? and(eq(webhookEndpoints.ownerKind, 'integration'), eq(webhookEndpoints.ownerId, owner.partnerId), eq(webhookEndpoints.therapistId, owner.therapistId))!
    : and(eq(webhookEndpoints.ownerKind, 'partner'), eq(webhookEndpoints.ownerId, owner.partnerId))!;
}

/** The `last_error` of a pending delivery abandoned because its endpoint was removed. */
export const ENDPOINT_REMOVED_ERROR = 'endpoint removed';

/**
 * Webhook endpoints: registration (one endpoint per owner and URL), removal and listing. Secrets are
 * generated here, returned once and stored only encrypted; lists never carry them.
 */
export class WebhookEndpointService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly secrets: WebhookSecrets,
    private readonly urlPolicy: WebhookUrlPolicy,
  ) {}

  /**
   * Registers `url` for `owner`. The same owner registering the same URL again gets the same
   * endpoint with the new event list and a new secret (the old one stops verifying at once),
   * so a lost secret is recovered by registering again. A URL the policy refuses (see
   * {@link WebhookUrlPolicy}) is `WEBHOOK_URL_REFUSED`, saying why.
   */
  async register(owner: WebhookOwner, url: string, events: readonly WebhookEventType[]): Promise<RegisteredEndpoint> {
    await this.urlPolicy.assertAllowed(url).catch((error: unknown) => {
      if (error instanceof WebhookUrlRefused) throw new DomainError(ErrorCode.WEBHOOK_URL_REFUSED, ErrorText.webhookUrlRefused, { message: error.reason });
      throw error;
    });
    const secret = this.secrets.generate();
    const now = this.ctx.clock.now();
    await this.secrets.ready();
    const row = await this.ctx.db.orm.transaction(async (tx) => {
      // Two registrations of one URL racing must end as one endpoint: serialise them per owner and URL.
      const lockKey = `webhook_endpoint:${owner.kind}:${owner.partnerId}:${owner.kind === 'integration' ? owner.therapistId : ''}:${url}`;
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))`);
      const [existing] = await tx
        .select({ id: webhookEndpoints.id })
        .from(webhookEndpoints)
        .where(and(ownerCondition(owner), eq(webhookEndpoints.url, url)))
        .limit(1);
      const id = existing?.id ?? newId('whep', now);
      const secretCiphertext = await this.secrets.seal(secret, id);
      if (existing) {
        const [updated] = await tx
          .update(webhookEndpoints)
          .set({ events: [...events], secretCiphertext, updatedAt: now, disabledAt: null })
          .where(eq(webhookEndpoints.id, id))
          .returning();
        return updated!;
      }
      const [inserted] = await tx
        .insert(webhookEndpoints)
        .values({
          id,
          ownerKind: owner.kind,
          ownerId: owner.partnerId,
          therapistId: owner.kind === 'integration' ? owner.therapistId : null,
          url,
          events: [...events],
          secretCiphertext,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      return inserted!;
    });
    this.ctx.logger.info({ endpoint_id: row.id, owner_kind: owner.kind, events: row.events }, 'webhook endpoint registered');
    return { endpoint: endpointDto(row), secret };
  }

  /**
   * Removes `owner`'s endpoint `id`: sets `disabled_at` and, in the same transaction, marks its
   * pending deliveries `failed` so no retry reaches a receiver that is gone. Their lease is
   * cleared too, so an attempt already in flight records only its history, never a reschedule.
   * Another owner's endpoint, an unknown id and one already removed are all `NOT_FOUND`: the
   * caller learns nothing about endpoints that are not theirs, and a repeat is visibly a no-op.
   */
  async remove(owner: WebhookOwner, id: string): Promise<DeleteWebhookResponse> {
    const now = this.ctx.clock.now();
    const { row, abandoned } = await this.ctx.db.orm.transaction(async (tx) => {
      const [removed] = await tx
        .update(webhookEndpoints)
        .set({ disabledAt: now, updatedAt: now })
        .where(and(eq(webhookEndpoints.id, id), ownerCondition(owner), isNull(webhookEndpoints.disabledAt)))
        .returning();
      if (!removed) return { row: undefined, abandoned: 0 };
      const failed = await tx
        .update(webhookDeliveries)
        .set({ status: 'failed', nextAttemptAt: null, lockedUntil: null, lockedBy: null, lastError: ENDPOINT_REMOVED_ERROR })
        .where(and(eq(webhookDeliveries.endpointId, id), eq(webhookDeliveries.status, 'pending')))
        .returning({ id: webhookDeliveries.id });
      return { row: removed, abandoned: failed.length };
    });
    if (!row) throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: 'No webhook endpoint of yours has this id' });
    this.ctx.logger.info({ endpoint_id: id, owner_kind: owner.kind, deliveries_abandoned: abandoned }, 'webhook endpoint removed');
    return { ...endpointDto(row), disabled_at: now.toISOString() };
  }

  /**
   * Endpoints, newest first; `owner` limits them to one owner's live endpoints, `ownerKind` to
   * one kind. The admin list (no `owner`) keeps removed endpoints, with `disabled_at`, because
   * their delivery history still points at them.
   */
  async list(input: { limit: number; cursor?: string; owner?: WebhookOwner; ownerKind?: WebhookOwner['kind'] }): Promise<{ webhooks: WebhookEndpoint[]; nextCursor: string | null }> {
    const conditions: SQL[] = [];
    if (input.owner) conditions.push(ownerCondition(input.owner), isNull(webhookEndpoints.disabledAt));
    if (input.ownerKind) conditions.push(eq(webhookEndpoints.ownerKind, input.ownerKind));
    if (input.cursor) conditions.push(lt(webhookEndpoints.id, decodeCursor(input.cursor, 'whep')));
    const rows = await this.ctx.db.orm
      .select()
      .from(webhookEndpoints)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(webhookEndpoints.id))
      .limit(input.limit + 1);
    const { items, nextCursor } = page(rows, input.limit);
    return { webhooks: items.map(endpointDto), nextCursor };
  }
}
