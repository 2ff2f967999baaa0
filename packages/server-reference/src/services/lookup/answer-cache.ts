import type { LookupCase, LookupPatient } from '@careos/contract';
import { sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import type { RawRunner } from '../../db/database.js';
import type { ServiceContext } from '../context.js';

/** What a number's lookup found, without the echo of the number as sent: the case, or none. */
export type CachedAnswer = { caseId: string; patient: LookupPatient; case: LookupCase; screenPopUrl: string } | { caseId: null };

/** PostgreSQL channel on which every write that can change a lookup's answer is announced. */
export const ANSWERS_CHANNEL = 'careos_lookup_answers';

/**
 * The recent numbers' lookup answers, in memory only (they hold PHI: never logged, never
 * written anywhere), bounded in count and age. Exact rather than merely fresh:
 *
 * - every write to patients or cases on this instance calls {@link invalidate} before it
 *   returns, and announces itself on PostgreSQL in its own transaction;
 * - other instances' announcements invalidate on arrival; while the listening connection is
 *   down nothing is cached (and what was is dropped), since announcements may be missed;
 * - an answer read from the database is kept only if no invalidation happened since its
 *   query began ({@link generation}), so a read racing a write cannot put the old answer back.
 *
 * Invalidation drops everything: writes here are rare (sandbox cases, seeds), lookups are many.
 */
export class LookupAnswerCache {
  readonly #entries: LRUCache<string, CachedAnswer> | null;
  #generation = 0;
  /** False while the cross-instance announcements may be missed. */
  #trusted = true;
  #stop: (() => Promise<void>) | null = null;

  constructor(private readonly ctx: Pick<ServiceContext, 'db' | 'logger' | 'instanceId' | 'config'>) {
    const { cacheMax, cacheTtlMs } = ctx.config.lookup;
    this.#entries = cacheMax > 0 ? new LRUCache({ max: cacheMax, ttl: cacheTtlMs, ttlAutopurge: false, updateAgeOnGet: false }) : null;
  }

  /** Changes on each invalidation; pass the value read before a query to {@link set}. */
  get generation(): number {
    return this.#generation;
  }

  /** Number of answers held. */
  get size(): number {
    return this.#entries?.size ?? 0;
  }

  /** The answer for an E.164 number, if held. */
  get(e164: string): CachedAnswer | undefined {
    return this.#trusted ? this.#entries?.get(e164) : undefined;
  }

  /** Keeps an answer read from the database, unless an invalidation happened since `generation` was read. */
  set(e164: string, answer: CachedAnswer, generation: number): void {
    if (this.#entries && this.#trusted && generation === this.#generation) this.#entries.set(e164, answer);
  }

  /**
   * Announces, inside the transaction `run` belongs to, that patients or cases changed: on
   * PostgreSQL the other instances hear it when the transaction commits (a rolled-back one
   * announces nothing). The writer still calls {@link invalidate} once it has committed, for
   * this instance (on PGlite, the only one).
   */
  async announce(run: RawRunner): Promise<void> {
    if (this.ctx.db.kind === 'postgres') await run(sql`select pg_notify(${ANSWERS_CHANNEL}, ${this.ctx.instanceId})`);
  }

  /** Drops every answer: patients or cases changed. */
  invalidate(): void {
    this.#generation += 1;
    this.#entries?.clear();
  }

  /**
   * On PostgreSQL, listens for the other instances' announcements; resolves once listening.
   * If it cannot listen, nothing is cached (a warning says why). No-op on PGlite.
   */
  async watch(): Promise<void> {
    const { db, logger, instanceId } = this.ctx;
    if (!db.listen || !this.#entries || this.#stop) return;
    this.#trusted = false;
    const handlers = {
      notify: (payload: string) => {
        if (payload !== instanceId) this.invalidate();
      },
      listening: () => {
        this.invalidate();
        this.#trusted = true;
      },
      lost: () => {
        this.#trusted = false;
        this.invalidate();
        logger.warn('lost the connection that announces patient and case changes; lookups read the database until it is back');
      },
    };
    try {
      this.#stop = await db.listen(ANSWERS_CHANNEL, handlers);
    } catch (error) {
      logger.warn({ err_message: (error as Error).message }, 'cannot listen for patient and case changes; lookup answers are not cached');
    }
  }

  /** Stops listening and drops every answer. */
  async close(): Promise<void> {
    const stop = this.#stop;
    this.#stop = null;
    this.#trusted = false;
    this.invalidate();
    await stop?.();
  }
}
