import { routes, type LookupResult } from '@careos/contract';
import { abortable } from './core/abortable.js';
import { CareOSCore } from './core/core.js';
import { APIUserAbortError, CareOSError, RequestValidationError } from './core/errors.js';
import { ENV_VARS, type CountryCode } from './core/options.js';
import { LookupCache, type LookupCounters } from './lookup/cache.js';
import { describeLookupError, LookupNotConfiguredError, rootFailure, type LookupFailure } from './lookup/failure.js';
import { lookupTransport, resolveCacheSettings, type LookupClientOptions } from './lookup/options.js';
import { lookupPhoneKey } from './lookup/phone-key.js';
import { LookupRequests } from './resources/lookup.js';

/** Per-call options of {@link LookupClient.byPhone}. */
export interface LookupCallOptions {
  /**
   * Stops waiting: the call then answers `ABORTED` (or rejects with `APIUserAbortError` under
   * `throwOnError`). A request other calls share carries on for them, and its answer is cached.
   */
  signal?: AbortSignal;
}

/** Everything `byPhone` can resolve with: a case, "no case", or why there is no answer. Narrow on `found`, then `'error' in result`. */
export type LookupOutcome = LookupResult | LookupFailure;

/** What `byPhone` resolves with: {@link LookupOutcome}, or only the API's two answers when the client throws its errors. */
export type LookupAnswer<Throw extends boolean> = Throw extends true ? LookupResult : LookupOutcome;

/** Counters since the client was created, and the cache's size. */
export interface LookupStats extends LookupCounters {
  /** Numbers held in the cache: fresh, expired (kept for the stale windows) and in flight. */
  size: number;
}

const INVALID_PHONE_MESSAGE = 'Not a phone number (use E.164, e.g. +390622224444, or national format with defaultCountry)';

/**
 * The CCaaS screen-pop client: give it the caller's number, get the patient's most recent case.
 *
 * Built for the call path: answers come from an LRU cache keyed by the number in E.164 (found
 * cases for 5 minutes, "no case" for 1 minute), concurrent lookups of one number share one
 * request, a lookup has 2 s in all (one quick retry included), and a failure resolves
 * `{ found: false, error }` instead of throwing, so a screen pop never breaks the call it pops
 * for. Stale-while-revalidate and serve-stale-on-error are there to turn on.
 *
 * @example
 * ```ts
 * const lookup = new LookupClient(); // reads CAREOS_LOOKUP_API_KEY and CAREOS_API_URL
 * const result = await lookup.byPhone(call.ani);
 * if (result.found) openScreenPop(result.screen_pop_url);
 * else showNewLeadForm(call.ani); // "no case", or 'error' in result: the lookup failed
 * ```
 */
export class LookupClient<Throw extends boolean = false> {
  /** The endpoint without cache or fail-open: one request per call, typed errors thrown. */
  readonly uncached: LookupRequests;
  readonly #core: CareOSCore;
  readonly #cache: LookupCache | undefined;
  readonly #counters: LookupCounters = { hits: 0, misses: 0, coalesced: 0, errors: 0, staleServed: 0 };
  readonly #throwOnError: boolean;
  readonly #country: CountryCode | undefined;

  /**
   * @param options every option is optional; the key comes from `CAREOS_LOOKUP_API_KEY` and the
   * base URL from `CAREOS_API_URL` when omitted
   * @throws {@link CareOSError} when an option is malformed (a negative TTL, a `baseURL` that is not a URL)
   */
  constructor(options: LookupClientOptions<Throw> = {}) {
    const { apiKey, auth, timeout, maxRetries, retryBaseDelay, retryMaxDelay, cache, throwOnError, ...transport } = options;
    const settings = resolveCacheSettings(cache);
    this.#core = new CareOSCore({
      ...transport,
      ...lookupTransport({ timeout, maxRetries, retryBaseDelay, retryMaxDelay }),
      lookupApiKey: apiKey,
      lookup: { auth },
    });
    this.#throwOnError = throwOnError === true;
    // Only a country the caller chose: national numbers otherwise go to the server as typed (see lookupPhoneKey).
    this.#country = options.defaultCountry;
    this.#cache = settings === undefined ? undefined : new LookupCache(settings, (e164) => this.#send(e164, undefined), this.#counters);
    this.uncached = new LookupRequests(this.#core);
  }

  /**
   * The most recent case of the patient with this phone number: the seed's 200 body
   * (`found: true`, `case_id`, `patient`, `case`, `screen_pop_url`, `phone_searched`), or its
   * 404 body `{ found: false, message, phone }` when there is none.
   *
   * Any common shape of number works (`+390622224444`, `+39 06 2222 4444`, `0039…`, `%2B39…`,
   * `tel:` URIs, national format); the request carries its E.164 form, so `phone_searched` and
   * `phone` echo that. A national number is read in `defaultCountry` when one is configured, and
   * otherwise sent as typed, for the server to read in its own default country. Input that is no phone number sends nothing.
   *
   * Never rejects unless the client was built with `throwOnError`: a failure (timeout,
   * connection, 401, 429, 5xx, invalid input, abort) resolves
   * `{ found: false, error: { code, message, status?, requestId?, retryAfter? } }`.
   * Answers are shared between callers through the cache and frozen: copy one before changing it.
   */
  byPhone(phone: string, options?: LookupCallOptions): Promise<LookupAnswer<Throw>> {
    // The hit path: one map lookup. Cache keys are E.164 only, so a hit needs no normalising.
    const hit = this.#cache?.fresh(phone);
    if (hit !== undefined) {
      this.#counters.hits++;
      return hit.promise as Promise<LookupAnswer<Throw>>;
    }
    return this.#lookup(phone, options?.signal) as Promise<LookupAnswer<Throw>>;
  }

  /**
   * The cached, fresh answer for this number, without any request; `undefined` when there is
   * none (or the input is no phone number). For synchronous code paths (an IVR routing rule)
   * that must not wait.
   */
  peek(phone: string): LookupResult | undefined {
    const cache = this.#cache;
    if (cache === undefined) return undefined;
    // As in byPhone: keys are E.164, so input found as it is needs no normalising.
    const direct = cache.peek(phone);
    if (direct !== undefined) return direct.result;
    const key = lookupPhoneKey(phone, this.#country);
    return key === null ? undefined : cache.peek(key)?.result;
  }

  /**
   * Forgets the cached answer for this number, e.g. right after creating a case for a caller who
   * had none. Returns whether an answer was cached. A lookup in flight still answers its callers
   * but is not stored.
   */
  invalidate(phone: string): boolean {
    const key = lookupPhoneKey(phone, this.#country);
    return key !== null && this.#cache !== undefined && this.#cache.delete(key);
  }

  /** Forgets every cached answer. The counters of {@link stats} carry on. */
  clear(): void {
    this.#cache?.clear();
  }

  /**
   * Counters since the client was created: `hits` (answered from a fresh entry), `misses` (sent
   * a request: one per request, retries aside), `coalesced` (waited for a request another call
   * had sent), `staleServed` (answered with an expired entry: stale-while-revalidate, or
   * stale-on-error when the refresh failed), `errors` (answered with a failure, or threw), and
   * `size` (numbers held in the cache).
   */
  stats(): LookupStats {
    return { ...this.#counters, size: this.#cache?.size ?? 0 };
  }

  /** The base URL lookups go to. */
  get baseURL(): string {
    return this.#core.options.baseURL;
  }

  /**
   * Empties the cache and closes the connection pool (a `dispatcher` you passed in stays open).
   * Lookups afterwards answer `CLIENT_ERROR`.
   */
  async close(): Promise<void> {
    this.#cache?.clear();
    await this.#core.close();
  }

  /** `await using lookup = new LookupClient()` closes the client at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #lookup(phone: string, signal: AbortSignal | undefined): Promise<LookupOutcome> {
    try {
      const key = lookupPhoneKey(phone, this.#country);
      if (key === null) throw new RequestValidationError('phone', [{ path: '', message: INVALID_PHONE_MESSAGE }]);
      if (this.#core.options.lookupApiKey === undefined) {
        throw new LookupNotConfiguredError(`Lookups need a lookup API key: pass apiKey to new LookupClient() (lookupApiKey to new CareOS()) or set ${ENV_VARS.lookupApiKey}`);
      }
      if (signal?.aborted) throw new APIUserAbortError();
      if (this.#cache === undefined) {
        this.#counters.misses++;
        return await this.#send(key, signal);
      }
      return (await abortable(this.#cache.fetch(key), signal)).result;
    } catch (error) {
      this.#counters.errors++;
      // abortable() rejects with the signal's own reason; the SDK's callers expect its abort error.
      const failure = signal?.aborted && !(error instanceof CareOSError) ? new APIUserAbortError(undefined, { cause: error }) : rootFailure(error);
      if (this.#throwOnError) throw failure;
      return { found: false, error: describeLookupError(failure) };
    }
  }

  /**
   * One lookup request. POST, so that the number travels in the body: never in a URL, where
   * proxies, access logs and the SDK's own debug log would record it.
   */
  async #send(key: string, signal: AbortSignal | undefined): Promise<LookupResult> {
    const data: unknown = await this.#core.request(routes.lookupPhonePost, { body: { phone: key } }, signal === undefined ? undefined : { signal });
    if (data === null || typeof data !== 'object' || typeof (data as { found?: unknown }).found !== 'boolean') {
      throw new CareOSError('The lookup answered with a body that is not a lookup result');
    }
    return data as LookupResult;
  }
}
