import { and, eq, lt, sql } from 'drizzle-orm';
import { ErrorCode, ErrorText } from '@careos/contract';
import { idempotencyKeys } from '../db/schema/index.js';
import { DomainError } from '../domain/errors.js';
import type { ServiceContext } from './context.js';
import type { InstanceRegistry } from './instances.js';

/** How long a key and its stored outcome live (DESIGN §4.3). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * A key still `in_progress` after this long is taken over even though its instance is alive
 * (a request wedged that long will not finish usefully). A key whose instance is dead is taken
 * over at once.
 */
export const IDEMPOTENCY_STALE_MS = 60 * 1000;

/** What to do with a request carrying an idempotency key. */
export type IdempotencyDecision = { kind: 'proceed' } | { kind: 'replay'; status: number; body: unknown };

/** Identifies one key: the credential it belongs to, the key, and the request's fingerprint. */
export interface IdempotencyClaim {
  scope: string;
  key: string;
  fingerprint: string;
}

/**
 * Stored request outcomes keyed by (credential, Idempotency-Key), kept in the database so
 * every instance sees them.
 */
export class IdempotencyService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly instances: InstanceRegistry,
  ) {}

  /**
   * Claims a key for a new request, or says how to answer a repeat: replay the stored outcome,
   * 422 for a different body, 409 while the first request still runs on a live instance. A key
   * left `in_progress` by an instance that died is claimed by the first repeat that finds it.
   */
  async begin(claim: IdempotencyClaim): Promise<IdempotencyDecision> {
    const now = this.ctx.clock.now();
    const expiresAt = new Date(now.getTime() + IDEMPOTENCY_TTL_MS);
    const staleBefore = new Date(now.getTime() - IDEMPOTENCY_STALE_MS);
    const claimed = await this.ctx.db.orm
      .insert(idempotencyKeys)
      .values({ ...claim, state: 'in_progress', lockedAt: now, lockedBy: this.ctx.instanceId, expiresAt, createdAt: now })
      .onConflictDoUpdate({
        target: [idempotencyKeys.scope, idempotencyKeys.key],
        set: { fingerprint: claim.fingerprint, state: 'in_progress', responseStatus: null, responseBodyEnc: null, lockedAt: now, lockedBy: this.ctx.instanceId, expiresAt, createdAt: now },
        // Only an expired key, or the same request abandoned midway (its instance dead, or wedged),
        // may be taken over. The row is locked while this is checked, so two repeats cannot both win.
        setWhere: sql`${idempotencyKeys.expiresAt} <= ${now.toISOString()}::timestamptz
          or (${idempotencyKeys.state} = 'in_progress' and ${idempotencyKeys.fingerprint} = ${claim.fingerprint}
              and (${idempotencyKeys.lockedAt} < ${staleBefore.toISOString()}::timestamptz or not ${this.instances.alive(sql`${idempotencyKeys.lockedBy}`)}))`,
      })
      .returning({ key: idempotencyKeys.key });
    if (claimed.length > 0) return { kind: 'proceed' };

    const [existing] = await this.ctx.db.orm
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.scope, claim.scope), eq(idempotencyKeys.key, claim.key)));
    if (!existing) return this.begin(claim);
    if (existing.fingerprint !== claim.fingerprint) {
      throw new DomainError(ErrorCode.IDEMPOTENCY_CONFLICT, ErrorText.idempotencyConflict, {
        message: 'Use a new Idempotency-Key for a different request',
      });
    }
    if (existing.state !== 'completed' || existing.responseStatus === null) {
      throw new DomainError(ErrorCode.IDEMPOTENCY_IN_PROGRESS, ErrorText.idempotencyInProgress, {
        message: 'Retry after the first request has finished',
      });
    }
    const body = existing.responseBodyEnc === null ? null : this.ctx.phi.cipher.openJson(idempotencyKeys.responseBodyEnc, existing.responseBodyEnc);
    return { kind: 'replay', status: existing.responseStatus, body };
  }

  /** Stores the outcome of a claimed request so repeats replay it. */
  async complete(scope: string, key: string, status: number, body: unknown): Promise<void> {
    await this.ctx.db.orm
      .update(idempotencyKeys)
      .set({ state: 'completed', responseStatus: status, responseBodyEnc: body === undefined || body === null ? null : this.ctx.phi.cipher.sealJson(idempotencyKeys.responseBodyEnc, body) })
      .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
  }

  /** Forgets a claimed key (after a 5xx) so a retry runs the request again. */
  async release(scope: string, key: string): Promise<void> {
    await this.ctx.db.orm
      .delete(idempotencyKeys)
      .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key), eq(idempotencyKeys.state, 'in_progress')));
  }

  /** Deletes expired keys; returns how many. */
  async purgeExpired(): Promise<number> {
    const rows = await this.ctx.db.orm
      .delete(idempotencyKeys)
      .where(lt(idempotencyKeys.expiresAt, this.ctx.clock.now()))
      .returning({ key: idempotencyKeys.key });
    return rows.length;
  }
}
