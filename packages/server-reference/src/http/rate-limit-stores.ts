import { sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import type { Database } from '../db/database.js';
import { DatabaseRateLimiter, type CarriedCount } from './database-rate-limiter.js';

/** Where rate-limit counts are being kept right now. */
export type RateLimitStoreName = 'redis' | 'database' | 'memory';

/** What `/health/ready` says about rate limiting. */
export interface RateLimitStoreStatus {
  /** The store counting now. */
  store: RateLimitStoreName;
  /** A fallback is counting because the configured store (Redis) does not answer. */
  fallback: boolean;
  /**
   * Limits hold exactly across every instance: one shared store counts (Redis, or the shared
   * database), or the store is this process's memory and the database is the embedded,
   * single-process one.
   */
  exact: boolean;
}

/** One limiter's shape. Durations are whole seconds (Redis expiries are). */
export interface LimiterSpec {
  /** Part of every key, e.g. `leads` or `login:account`. */
  id: string;
  points: number;
  durationSeconds: number;
  /** Once over the limit, refuse for this long (0: until the window ends). */
  blockSeconds?: number;
}

/** Redis counts remembered per key, for a hand-over; bounded so a flood of keys cannot grow it forever. */
const MAX_REMEMBERED = 50_000;

/** Sets a Redis counter to a value unless it already holds more (the counts of an outage, back in Redis). */
const RAISE_SCRIPT = `local current = tonumber(redis.call('get', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 1`;

interface RedisLimiterInternals {
  _getRateLimiterRes(rlKey: string, changedPoints: number, result: unknown): RateLimiterRes;
  _block(rlKey: string, initPoints: number, msDuration: number, options?: object): Promise<RateLimiterRes>;
  _delete(rlKey: string, options?: object): Promise<boolean>;
}
const redisInternals = RateLimiterRedis.prototype as unknown as RedisLimiterInternals;

/** A Redis limiter that remembers the last count it saw per key, so another store can carry it on. */
class ObservedRedisLimiter extends RateLimiterRedis {
  constructor(
    options: ConstructorParameters<typeof RateLimiterRedis>[0],
    private readonly seen: (rlKey: string, count: CarriedCount | null) => void,
  ) {
    super(options);
  }

  _getRateLimiterRes(rlKey: string, changedPoints: number, result: unknown): RateLimiterRes {
    const res = redisInternals._getRateLimiterRes.call(this, rlKey, changedPoints, result);
    if (res.msBeforeNext > 0) this.seen(rlKey, { points: res.consumedPoints, msLeft: res.msBeforeNext });
    return res;
  }

  async _block(rlKey: string, initPoints: number, msDuration: number, options?: object): Promise<RateLimiterRes> {
    const res = await redisInternals._block.call(this, rlKey, initPoints, msDuration, options);
    if (msDuration > 0) this.seen(rlKey, { points: initPoints, msLeft: msDuration });
    return res;
  }

  async _delete(rlKey: string, options?: object): Promise<boolean> {
    this.seen(rlKey, null);
    return redisInternals._delete.call(this, rlKey, options);
  }
}

/**
 * Builds every rate limiter of the app on one choice of store (DESIGN §4.6):
 * - with Redis: Redis counts; while it is unreachable the database the instances share counts
 *   instead, starting from the counts last seen in Redis (handed over as soon as the connection
 *   drops), and when Redis is back the database's counts are raised into it; this instance's
 *   memory is the last resort when the database does not answer either;
 * - without Redis: this instance's memory (exact for one instance).
 */
export class RateLimitStores {
  readonly #seen = new Map<string, CarriedCount & { at: number }>();
  #databaseOk = true;
  /** The hand-over to the database, or back to Redis, in progress. */
  #switching: Promise<void> = Promise.resolve();
  #wasReady = false;
  #outage = false;
  #closed = false;

  constructor(
    private readonly redis: Redis | null,
    private readonly db: Database,
    private readonly logger: Logger,
    /** Prefix of every key, in Redis and in the database (`CAREOS_RATE_LIMIT_PREFIX`). */
    readonly keyPrefix: string,
  ) {
    if (!redis) return;
    this.#wasReady = redis.status === 'ready';
    redis.on('ready', () => {
      this.#wasReady = true;
      if (this.#outage) {
        this.#outage = false;
        this.#switching = this.#switching.then(() => this.#raiseIntoRedis(redis));
      }
    });
    redis.on('close', () => {
      if (!this.#wasReady || this.#closed) return;
      this.#wasReady = false;
      this.#outage = true;
      this.#switching = this.#switching.then(() => this.#handOverToDatabase());
    });
  }

  /** A limiter on the configured store. */
  create(spec: LimiterSpec): RateLimiterAbstract {
    const options = {
      points: spec.points,
      duration: spec.durationSeconds,
      blockDuration: spec.blockSeconds ?? 0,
      keyPrefix: `${this.keyPrefix}:${spec.id}`,
    };
    if (!this.redis) return new RateLimiterMemory(options);
    const database = new DatabaseRateLimiter({
      ...options,
      db: this.db,
      carried: (rlKey) => this.#carried(rlKey),
      onOutcome: (ok) => (this.#databaseOk = ok),
      insuranceLimiter: new RateLimiterMemory(options),
    });
    return new ObservedRedisLimiter(
      { ...options, storeClient: this.redis, rejectIfRedisNotReady: true, insuranceLimiter: database },
      (rlKey, count) => this.#remember(rlKey, count),
    );
  }

  /**
   * Which store counts now. Waits for a hand-over in progress, so `database` means this
   * instance's last Redis counts are already in the database, and `redis` after an outage
   * that the outage's counts are back in Redis.
   */
  async status(databaseAnswers: boolean): Promise<RateLimitStoreStatus> {
    if (!this.redis) return { store: 'memory', fallback: false, exact: this.db.kind === 'pglite' };
    await this.#switching;
    if (this.redis.status === 'ready') return { store: 'redis', fallback: false, exact: true };
    const database = databaseAnswers && this.#databaseOk;
    return database ? { store: 'database', fallback: true, exact: true } : { store: 'memory', fallback: true, exact: false };
  }

  /** Stops reacting to the connection (the app is disconnecting Redis on purpose); waits for a hand-over in progress. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#switching;
  }

  /** Deletes database counters whose window has ended (the fallback store's housekeeping). */
  purgeExpired(): Promise<number> {
    return DatabaseRateLimiter.purgeExpired(this.db);
  }

  #remember(rlKey: string, count: CarriedCount | null): void {
    this.#seen.delete(rlKey);
    if (!count) return;
    this.#seen.set(rlKey, { ...count, at: Date.now() });
    if (this.#seen.size > MAX_REMEMBERED) this.#seen.delete(this.#seen.keys().next().value!);
  }

  #carried(rlKey: string): CarriedCount | undefined {
    const seen = this.#seen.get(rlKey);
    if (!seen) return undefined;
    const msLeft = seen.msLeft - (Date.now() - seen.at);
    return msLeft > 0 ? { points: seen.points, msLeft } : undefined;
  }

  /** Writes every count still in its window that this instance last saw in Redis into the database. */
  async #handOverToDatabase(): Promise<void> {
    const counts = new Map<string, CarriedCount>();
    for (const key of this.#seen.keys()) {
      const carried = this.#carried(key);
      if (carried) counts.set(key, carried);
      else this.#seen.delete(key);
    }
    try {
      await DatabaseRateLimiter.carryOver(this.db, counts);
      this.#databaseOk = true;
      this.logger.warn({ keys: counts.size }, 'redis unavailable; rate limits count in the shared database');
    } catch (error) {
      this.#databaseOk = false;
      this.logger.error({ err_message: (error as Error).message }, 'redis and the database unavailable; rate limits count in this instance’s memory');
    }
  }

  /** Raises Redis counters to what was counted in the database during the outage. */
  async #raiseIntoRedis(redis: Redis): Promise<void> {
    try {
      const rows = await this.db.rows<{ key: string; points: number; ms: number }>(sql`
        select key, (carried + points)::int as points, extract(epoch from (expire - now())) * 1000 as ms
        from rate_limit_counters where expire > now() and starts_with(key, ${`${this.keyPrefix}:`})`);
      for (const row of rows) {
        const ms = Math.ceil(Number(row.ms));
        if (ms > 0) await redis.eval(RAISE_SCRIPT, 1, row.key, String(row.points), String(ms));
      }
      this.logger.info({ keys: rows.length }, 'redis is back; rate limits count in redis again');
    } catch (error) {
      this.logger.warn({ err_message: (error as Error).message }, 'could not copy rate-limit counts back into redis');
    }
  }
}
