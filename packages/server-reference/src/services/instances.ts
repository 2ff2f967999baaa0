import { sql, type SQL } from 'drizzle-orm';
import { leaseMs } from '../config/lifecycle-config.js';
import type { ServiceContext } from './context.js';

/** Rows of instances silent for this long are deleted when an instance starts. */
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * This instance's entry in the `instances` table, shared by every instance on the database:
 * written at start, renewed by a heartbeat, removed on a clean stop. Another instance that
 * finds the owner of a lease or of an in-progress idempotency key missing or silent for
 * {@link leaseMs} knows that owner is dead and takes the work over at once, instead of waiting
 * for a long expiry. All times are the database's `now()`, one clock for every instance.
 */
export class InstanceRegistry {
  readonly #deadAfterMs: number;
  #timer: NodeJS.Timeout | null = null;
  #beating: Promise<void> | null = null;
  #stopped = false;

  constructor(private readonly ctx: ServiceContext) {
    this.#deadAfterMs = leaseMs(ctx.config.lifecycle);
  }

  /** Records this instance as alive (and forgets instances silent for a day). */
  async register(): Promise<void> {
    await this.ctx.db.rows(sql`delete from instances where heartbeat_at < now() - ${FORGET_AFTER_MS}::int * interval '1 millisecond'`);
    await this.beat();
  }

  /** Renews this instance's heartbeat; re-creates its row should it have been removed. */
  async beat(): Promise<void> {
    await this.ctx.db.rows(sql`
      insert into instances (id, started_at, heartbeat_at) values (${this.ctx.instanceId}, now(), now())
      on conflict (id) do update set heartbeat_at = now()`);
  }

  /**
   * Calls {@link beat} and then `onBeat` (lease renewals) every heartbeat interval until
   * {@link stop}. A slow beat delays the next rather than overlapping it; the timer does not
   * keep the process alive.
   */
  startHeartbeat(onBeat: () => Promise<void>): void {
    if (this.#timer || this.#stopped) return;
    const schedule = () => {
      if (this.#stopped) return;
      this.#timer = setTimeout(() => {
        this.#beating = this.beat()
          .then(onBeat)
          .catch((error: unknown) => this.ctx.logger.error({ err_message: (error as Error).message }, 'heartbeat failed'))
          .finally(() => {
            this.#beating = null;
            schedule();
          });
      }, this.ctx.config.lifecycle.heartbeatIntervalMs);
      this.#timer.unref();
    };
    schedule();
  }

  /** Stops the heartbeat and removes this instance's row: whatever it still held is free at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#beating;
    await this.ctx.db.rows(sql`delete from instances where id = ${this.ctx.instanceId}`);
  }

  /**
   * SQL that is true when the instance named by `owner` (a column or value) is alive: it has
   * a row with a heartbeat within the lease length. A `null` owner is not alive.
   */
  alive(owner: SQL): SQL {
    return sql`exists (select 1 from instances as live where live.id = ${owner} and live.heartbeat_at > now() - ${this.#deadAfterMs}::int * interval '1 millisecond')`;
  }
}
