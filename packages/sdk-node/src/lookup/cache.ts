import type { LookupResult } from '@careos/contract';
import { LRUCache } from 'lru-cache';
import type { ResolvedCacheSettings } from './options.js';

/** One cached answer. */
export interface CachedLookup {
  readonly result: LookupResult;
  /** `result`, already resolved: a hit hands this out instead of making a promise per call. */
  readonly promise: Promise<LookupResult>;
  /** When the answer stops being fresh, on {@link CacheClock}. */
  readonly expiresAt: number;
  /** `0` for an answer that is handed to the calls waiting for it but not kept. */
  readonly ttl: number;
}

/** Counters of a lookup client; see `LookupClient.stats()` for what each counts. */
export interface LookupCounters {
  /** Lookups answered from a fresh cache entry, without a request. */
  hits: number;
  /** Requests sent (one per request whatever its retries; background refreshes included). */
  misses: number;
  /** Lookups that waited for a request another lookup of the same number had sent. */
  coalesced: number;
  /** Lookups answered with a failure (or, with `throwOnError`, rejected). */
  errors: number;
  /** Lookups answered with an expired entry: stale-while-revalidate, or stale-on-error when the refresh failed. */
  staleServed: number;
}

/**
 * The clock of the cache: `performance.now()`, looked up at each call so that tests that fake
 * `performance` move the cache's time too. lru-cache is given the same clock, so its idea of
 * "stale" and the entries' `expiresAt` always agree.
 */
export const CacheClock = { now: (): number => performance.now() };

/** Deep-freezes an answer: it is shared by every caller it is handed to, so none may change it for the others. */
function freeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const key of Object.keys(value)) freeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

/** A cache entry for `result`, fresh for `ttl` ms from now. */
export function cachedLookup(result: LookupResult, ttl: number): CachedLookup {
  const frozen = freeze(result);
  return { result: frozen, promise: Promise.resolve(frozen), expiresAt: CacheClock.now() + ttl, ttl };
}

/**
 * The lookup cache on lru-cache: LRU with a per-entry TTL (found and "no case" answers each get
 * theirs), concurrent misses of one number coalesced into one request by `fetch()`, and
 * stale-while-revalidate and serve-stale-on-error, each within its own window after expiry.
 * Failures are never cached: a failed request leaves the entry as it was (stale, within a
 * window) or removes it.
 */
export class LookupCache {
  readonly #lru: LRUCache<string, CachedLookup>;
  readonly #settings: ResolvedCacheSettings;
  readonly #counters: LookupCounters;

  /**
   * @param settings TTLs, size and stale windows
   * @param load sends the lookup of one E.164 number
   * @param counters where hits, misses, coalesced and stale answers are counted
   */
  constructor(settings: ResolvedCacheSettings, load: (e164: string) => Promise<LookupResult>, counters: LookupCounters) {
    this.#settings = settings;
    this.#counters = counters;
    this.#lru = new LRUCache<string, CachedLookup>({
      max: settings.max,
      ttl: settings.ttl,
      perf: CacheClock,
      // lru-cache's default ttlResolution (1 ms) stays: it reads the clock at most once per
      // millisecond, which halves the cost of a hit against reading it at every check, and a
      // millisecond is nothing next to TTLs of seconds.
      // Expired entries stay until replaced or evicted: the stale windows may still serve them,
      // and a plain get() that finds one must not throw it away.
      noDeleteOnStaleGet: true,
      // A request outlives the entry it was for: the calls waiting on it still get its answer
      // after invalidate(), clear() or an eviction (which abort lru-cache's own signal); it is
      // just not stored.
      ignoreFetchAbort: true,
      fetchMethod: async (e164, _stale, { options }) => {
        const result = await load(e164);
        const ttl = result.found ? settings.ttl : settings.negativeTtl;
        // Per-entry TTL; lru-cache reads 0 as "forever", so an uncached answer lives 1 ms and is removed by fetch() below.
        options.ttl = Math.max(ttl, 1);
        return cachedLookup(result, ttl);
      },
    });
  }

  /** The fresh entry for `key`, or `undefined`. The hit path: one map lookup, no promise, no clock read beyond lru-cache's. */
  fresh(key: string): CachedLookup | undefined {
    return this.#lru.get(key);
  }

  /**
   * The entry for `key`, from the cache or from a request: one request however many calls ask
   * at once. Rejects with the request's error when there is no answer to give.
   */
  async fetch(key: string): Promise<CachedLookup> {
    const { staleWhileRevalidate, staleOnError } = this.#settings;
    const stale = this.#lru.peek(key, { allowStale: true });
    const expiredFor = stale === undefined ? -1 : CacheClock.now() - stale.expiresAt;
    const revalidate = expiredFor > 0 && expiredFor <= staleWhileRevalidate;
    const onError = expiredFor > 0 && expiredFor <= staleOnError;
    const status: LRUCache.Status<string, CachedLookup> = {};
    const entry = await this.#lru.fetch(key, {
      allowStale: revalidate,
      allowStaleOnFetchRejection: onError,
      // Within a window the expired entry stays when its refresh fails, for the next caller.
      noDeleteOnFetchRejection: revalidate || onError,
      status,
    });
    // Every path that resolves without an entry has rejected instead; this guards lru-cache's contract.
    if (entry === undefined) throw new Error('lookup cache: fetch resolved without an answer');
    const counters = this.#counters;
    if (status.fetch === 'hit') counters.hits++;
    else if (status.fetch === 'inflight' && !status.returnedStale) counters.coalesced++;
    else if (status.fetch === 'miss' || status.fetch === 'stale' || status.fetch === 'refresh') counters.misses++;
    // A 'hit' on an entry our clock just saw expire is lru-cache's coarser clock (see ttlResolution): a hit, not stale.
    if (status.fetch !== 'hit' && entry === stale && expiredFor > 0) counters.staleServed++;
    if (entry.ttl === 0 && this.#lru.peek(key, { allowStale: true }) === entry) this.#lru.delete(key);
    return entry;
  }

  /** The fresh answer for `key` without any request. */
  peek(key: string): CachedLookup | undefined {
    return this.#lru.peek(key);
  }

  /** Forgets `key`; a request in flight for it still answers its callers but is not stored. */
  delete(key: string): boolean {
    return this.#lru.delete(key);
  }

  /** Forgets every number. */
  clear(): void {
    this.#lru.clear();
  }

  /** Entries held: fresh, expired (kept for the stale windows) and in flight. */
  get size(): number {
    return this.#lru.size;
  }
}
