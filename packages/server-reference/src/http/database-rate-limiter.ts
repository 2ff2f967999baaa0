import { sql, type SQL } from 'drizzle-orm';
import { RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract, type RateLimiterStoreAbstract as StoreAbstract } from 'rate-limiter-flexible';
import type { Database } from '../db/database.js';

/**
 * rate-limiter-flexible's base class of store limiters (atomic upsert, blocks, insurance):
 * declared in its types but not exported by its index (11.x), so taken from a store that
 * extends it.
 */
const RateLimiterStoreAbstract = Object.getPrototypeOf(RateLimiterRedis) as typeof StoreAbstract;

/** A count seen in Redis for one limiter key: what to carry over when Redis goes away. */
export interface CarriedCount {
  points: number;
  /** Milliseconds left in the window (or block) when it was seen. */
  msLeft: number;
}

/** What one statement returns: the key's count in this window and the milliseconds left. */
interface CounterRow extends Record<string, unknown> {
  points: number;
  ms: number;
}

/** Options of {@link DatabaseRateLimiter}. */
export interface DatabaseRateLimiterOptions {
  points: number;
  duration: number;
  blockDuration?: number;
  keyPrefix: string;
  db: Database;
  /** Where this instance's last Redis count for a key comes from, carried into the first database count. */
  carried?: (rlKey: string) => CarriedCount | undefined;
  /** Told after every statement whether the database answered (for `/health/ready`). */
  onOutcome?: (ok: boolean) => void;
  /** Takes over when the database does not answer either. */
  insuranceLimiter?: RateLimiterAbstract;
}

/** Windows that never end (duration 0) still need an expiry in the table. */
const FOREVER_MS = 100 * 365 * 24 * 3600 * 1000;

/**
 * A rate-limiter-flexible store over the app's {@link Database} (PostgreSQL or the embedded
 * PGlite), so instances that share a database share exact counts while Redis is away. Each
 * count is one atomic `insert … on conflict do update … returning`. Windows are timed by the
 * database's clock, which every instance shares.
 *
 * A key's count is `carried + points`: `carried` is the highest count any instance saw in Redis
 * for the same window (see {@link DatabaseRateLimiter.carryOver}), `points` what was counted
 * here since, so the limit holds across the switch from Redis instead of starting again at 0.
 */
export class DatabaseRateLimiter extends RateLimiterStoreAbstract {
  readonly #db: Database;
  readonly #carried: (rlKey: string) => CarriedCount | undefined;
  readonly #onOutcome: (ok: boolean) => void;

  constructor(options: DatabaseRateLimiterOptions) {
    const { db, carried, onOutcome, ...limiterOptions } = options;
    super({ ...limiterOptions, storeClient: db });
    this.#db = db;
    this.#carried = carried ?? (() => undefined);
    this.#onOutcome = onOutcome ?? (() => undefined);
  }

  /**
   * Records counts seen in Redis (by key) in one statement, raising `carried` where they are
   * higher, so that the first counts made here after Redis went away start from them.
   */
  static async carryOver(db: Database, counts: ReadonlyMap<string, CarriedCount>): Promise<void> {
    const entries = [...counts].filter(([, seen]) => seen.msLeft > 0 && seen.points > 0);
    for (let i = 0; i < entries.length; i += 500) {
      const values = entries.slice(i, i + 500).map(([key, seen]) => sql`(${key}, ${seen.points}::int, 0, now() + ${Math.ceil(seen.msLeft)} * interval '1 millisecond')`);
      await db.rows(sql`
        insert into rate_limit_counters as c (key, carried, points, expire) values ${sql.join(values, sql`, `)}
        on conflict (key) do update set
          carried = case when c.expire <= now() then excluded.carried else greatest(c.carried, excluded.carried) end,
          points = case when c.expire <= now() then 0 else c.points end,
          expire = case when c.expire <= now() then excluded.expire else greatest(c.expire, excluded.expire) end`);
    }
  }

  /** Deletes counters whose window ended more than a minute ago. */
  static async purgeExpired(db: Database): Promise<number> {
    const rows = await db.rows<{ key: string }>(sql`delete from rate_limit_counters where expire < now() - interval '1 minute' returning key`);
    return rows.length;
  }

  async _upsert(rlKey: string, points: number, msDuration: number, forceExpire = false): Promise<CounterRow> {
    const windowMs = msDuration > 0 ? msDuration : FOREVER_MS;
    let query: SQL;
    if (forceExpire) {
      // A block or a set: the count and expiry are replaced, whatever was there.
      query = sql`
        insert into rate_limit_counters as c (key, carried, points, expire)
        values (${rlKey}, 0, ${points}::int, now() + ${windowMs} * interval '1 millisecond')
        on conflict (key) do update set carried = 0, points = excluded.points, expire = excluded.expire
        returning (carried + points)::int as points, extract(epoch from (expire - now())) * 1000 as ms`;
    } else {
      const seen = this.#carried(rlKey);
      const carried = seen && seen.msLeft > 0 ? seen : undefined;
      const expiresIn = carried ? Math.ceil(carried.msLeft) : windowMs;
      // Inside a window the expiry stays (as in Redis) unless a carried Redis window ends later.
      query = sql`
        insert into rate_limit_counters as c (key, carried, points, expire)
        values (${rlKey}, ${carried?.points ?? 0}::int, ${points}::int, now() + ${expiresIn} * interval '1 millisecond')
        on conflict (key) do update set
          carried = case when c.expire <= now() then excluded.carried else greatest(c.carried, excluded.carried) end,
          points = case when c.expire <= now() then excluded.points else c.points + excluded.points end,
          expire = case when c.expire <= now() then excluded.expire
                        when ${carried !== undefined} then greatest(c.expire, excluded.expire)
                        else c.expire end
        returning (carried + points)::int as points, extract(epoch from (expire - now())) * 1000 as ms`;
    }
    return (await this.#run<CounterRow>(query))[0]!;
  }

  async _get(rlKey: string): Promise<CounterRow | null> {
    const rows = await this.#run<CounterRow>(sql`
      select (carried + points)::int as points, extract(epoch from (expire - now())) * 1000 as ms
      from rate_limit_counters where key = ${rlKey} and expire > now()`);
    return rows[0] ?? null;
  }

  async _delete(rlKey: string): Promise<boolean> {
    const rows = await this.#run<{ key: string }>(sql`delete from rate_limit_counters where key = ${rlKey} returning key`);
    return rows.length > 0;
  }

  _getRateLimiterRes(_rlKey: string, changedPoints: number, row: CounterRow): RateLimiterRes {
    const consumed = Number(row.points);
    return new RateLimiterRes(Math.max(this.points - consumed, 0), Math.max(0, Math.ceil(Number(row.ms))), consumed, consumed === changedPoints);
  }

  async #run<T extends Record<string, unknown>>(query: SQL): Promise<T[]> {
    try {
      const rows = await this.#db.rows<T>(query);
      this.#onOutcome(true);
      return rows;
    } catch (error) {
      this.#onOutcome(false);
      throw error;
    }
  }
}
