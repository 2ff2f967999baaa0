import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { calendarSyncStatus } from '../../db/schema/index.js';
import type { Executor } from '../../db/database.js';
import type { ServiceContext } from '../context.js';
import type { IntegrationRow } from './records.js';

/** A stored sync status row. */
export type SyncStatusRow = typeof calendarSyncStatus.$inferSelect;

/**
 * How long a claimed sync may go without finishing a page before another instance may take
 * over (its instance died mid-pass). Each page's transaction renews the claim.
 */
export const SYNC_LEASE_MS = 5 * 60 * 1000;

/** A sync this caller holds: the claim's value, renewed page by page. */
export interface SyncClaim {
  integrationId: string;
  /** `last_started_at` as this caller wrote it: the claim is whoever wrote the current value. */
  stamp: Date;
  status: SyncStatusRow;
}

/**
 * The claim on `calendar_sync_status` that makes syncs of one integration run one at a time
 * across instances, without holding a transaction over the provider's network calls:
 * `last_started_at` set means a pass is running (since then); a claim is taken by a conditional
 * update, which PostgreSQL serialises on the row, and checked-and-renewed in each page's
 * transaction, so a pass whose claim was taken over (its lease lapsed) commits nothing more.
 */
export class SyncClaims {
  constructor(private readonly ctx: ServiceContext) {}

  /** Creates the status row of an integration that has none (first sync due at once). */
  async ensure(integration: IntegrationRow): Promise<void> {
    const now = this.ctx.clock.now();
    await this.ctx.db.orm
      .insert(calendarSyncStatus)
      .values({ integrationId: integration.id, staffId: integration.staffId, provider: integration.provider, generation: 0, consecutiveFailures: 0, nextSyncAt: now, updatedAt: now })
      .onConflictDoNothing();
  }

  /** Takes the claim, or `null` when another pass holds it. */
  async claim(integrationId: string): Promise<SyncClaim | null> {
    const stamp = this.#stamp();
    const [status] = await this.ctx.db.orm
      .update(calendarSyncStatus)
      .set({ lastStartedAt: stamp, updatedAt: stamp })
      .where(and(eq(calendarSyncStatus.integrationId, integrationId), or(isNull(calendarSyncStatus.lastStartedAt), lt(calendarSyncStatus.lastStartedAt, new Date(stamp.getTime() - SYNC_LEASE_MS)))))
      .returning();
    return status ? { integrationId, stamp, status } : null;
  }

  /**
   * In a page's transaction: checks the claim is still this caller's and renews it. `false`
   * when it was taken over (the caller rolls back).
   */
  async renew(tx: Executor, claim: SyncClaim, changes: Partial<SyncStatusRow> = {}): Promise<boolean> {
    const stamp = this.#stamp();
    const rows = await tx
      .update(calendarSyncStatus)
      .set({ ...changes, lastStartedAt: stamp, updatedAt: stamp })
      .where(and(eq(calendarSyncStatus.integrationId, claim.integrationId), eq(calendarSyncStatus.lastStartedAt, claim.stamp)))
      .returning({ id: calendarSyncStatus.integrationId });
    if (!rows.length) return false;
    claim.stamp = stamp;
    return true;
  }

  /** Ends the pass, recording `changes` (its outcome); nothing when the claim was lost. */
  async release(tx: Executor, claim: SyncClaim, changes: Partial<SyncStatusRow>): Promise<boolean> {
    const rows = await tx
      .update(calendarSyncStatus)
      .set({ ...changes, lastStartedAt: null, updatedAt: this.ctx.clock.now() })
      .where(and(eq(calendarSyncStatus.integrationId, claim.integrationId), eq(calendarSyncStatus.lastStartedAt, claim.stamp)))
      .returning({ id: calendarSyncStatus.integrationId });
    return rows.length > 0;
  }

  /** Whether a pass is running now (for callers that want to wait for it). */
  async running(integrationId: string): Promise<boolean> {
    const [row] = await this.ctx.db.orm
      .select({ since: calendarSyncStatus.lastStartedAt })
      .from(calendarSyncStatus)
      .where(eq(calendarSyncStatus.integrationId, integrationId));
    return Boolean(row?.since && row.since.getTime() > this.ctx.clock.now().getTime() - SYNC_LEASE_MS);
  }

  /**
   * A claim stamp: the clock's time, nudged forward by a millisecond when the clock has not
   * moved since the last one (a manual clock in tests), so two claims never share a stamp.
   */
  #last = 0;
  #stamp(): Date {
    const now = this.ctx.clock.now().getTime();
    this.#last = Math.max(now, this.#last + 1);
    return new Date(this.#last);
  }
}

