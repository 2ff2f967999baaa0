import { CareOSError } from '../core/errors.js';
import type { CareOSCredentialOptions, ClientOptions, CountryCode, LookupAuth } from '../core/options.js';

/**
 * The lookup cache. Answers are cached by the caller's number in E.164, found cases and "no
 * case" answers each for their own time; failures are never cached.
 */
export interface LookupCacheOptions {
  /** How long a found case is answered from the cache, ms. Default 300000 (5 minutes, as the seed suggests). */
  ttl?: number;
  /**
   * How long a "no case" answer (the 404 `{ found: false }`) is answered from the cache, ms.
   * Default 60000. `0` does not cache them. Shorter than `ttl` because a number without a case
   * often gets one during the call: call {@link LookupClient.invalidate} after creating it.
   */
  negativeTtl?: number;
  /** Numbers kept at most; the least recently looked up go first. Default 10000. */
  max?: number;
  /**
   * For this long after an answer expires (ms), a lookup of that number gets the expired answer
   * at once while one request refreshes it in the background. Default 0 (off): an expired
   * answer waits for the refresh.
   */
  staleWhileRevalidate?: number;
  /**
   * For this long after an answer expires (ms; `true`: however long ago), a lookup whose refresh
   * fails gets the expired answer instead of the failure. Default off.
   */
  staleOnError?: number | boolean;
}

/** How a lookup client behaves; also the `lookup` option of `new CareOS()`. */
export interface LookupBehaviour {
  /** How the key is sent: `header` (`x-api-key`, default) or `bearer` (`Authorization: Bearer`). */
  auth?: LookupAuth;
  /**
   * Budget of one lookup, ms: connecting, waiting, reading and any retry. Default 2000, the
   * seed's recommended timeout. When it runs out the lookup answers with a `TIMEOUT` failure.
   */
  timeout?: number;
  /**
   * Retries within the budget after a connection error, 408, 425, 429 or 5xx. Default 1: one
   * quick retry mends a reset keep-alive socket or a blip, more would only spend the budget.
   * A 429 whose `Retry-After` does not fit in the budget is not waited for.
   */
  maxRetries?: number;
  /** Base of the backoff before a retry, ms. Default 50. */
  retryBaseDelay?: number;
  /** Cap of the backoff before a retry, ms. Default 250. */
  retryMaxDelay?: number;
  /** The cache, or `false` for none (every lookup is a request). */
  cache?: LookupCacheOptions | false;
  /**
   * Reject with the SDK's typed errors (`AuthenticationError`, `APITimeoutError`,
   * `RequestValidationError`...) instead of resolving `{ found: false, error }`. Default false:
   * a screen pop must never break the call it pops for.
   */
  throwOnError?: boolean;
}

/**
 * Options of `new LookupClient(options)`: the lookup key and behaviour, plus the transport
 * options of {@link ClientOptions} (`baseURL`, `logger`, `hooks`, `dispatcher`, `env`...).
 * Every one is optional.
 */
export interface LookupClientOptions<Throw extends boolean = boolean>
  extends Omit<ClientOptions, CareOSCredentialOptions | 'timeout' | 'deadline' | 'maxRetries' | 'retryBaseDelay' | 'retryMaxDelay'>,
    LookupBehaviour {
  /** The CCaaS lookup API key. Env `CAREOS_LOOKUP_API_KEY`. */
  apiKey?: string;
  /**
   * Country of numbers written without a country code (`06 2222 4444` with `IT`). Numbers with
   * `+` or `00` do not depend on it. Without it, a national number is sent as typed and the
   * server reads it in its own default country (the country of the CRM's records), rather than
   * the client guessing one.
   */
  defaultCountry?: CountryCode;
  /** See {@link LookupBehaviour.throwOnError}; `true` also narrows the type `byPhone` resolves with. */
  throwOnError?: Throw;
}

/** Cache settings after defaults; `staleOnError` in ms (`Infinity` for `true`). */
export interface ResolvedCacheSettings {
  ttl: number;
  negativeTtl: number;
  max: number;
  staleWhileRevalidate: number;
  staleOnError: number;
}

/** Defaults of {@link LookupCacheOptions}. */
export const LOOKUP_CACHE_DEFAULTS = { ttl: 300_000, negativeTtl: 60_000, max: 10_000 } as const;
/** Defaults of the lookup transport: the seed's 2 s budget and one quick retry inside it. */
export const LOOKUP_TRANSPORT_DEFAULTS = { timeout: 2_000, maxRetries: 1, retryBaseDelay: 50, retryMaxDelay: 250 } as const;

function duration(name: string, value: unknown, fallback: number, { min = 0, integer = false } = {}): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new CareOSError(`Invalid lookup option ${name}: expected a${integer ? 'n integer' : ' number'} >= ${min}`);
  }
  return value;
}

/**
 * Applies the cache defaults and validates them, so that a typo fails when the client is
 * built, not during a call. `undefined` when the cache is off.
 */
export function resolveCacheSettings(cache: LookupCacheOptions | false | undefined): ResolvedCacheSettings | undefined {
  if (cache === false) return undefined;
  if (cache !== undefined && (cache === null || typeof cache !== 'object')) throw new CareOSError('Invalid lookup option cache: expected an object or false');
  const options = cache ?? {};
  const staleOnError = options.staleOnError;
  if (staleOnError !== undefined && typeof staleOnError !== 'boolean') duration('cache.staleOnError', staleOnError, 0);
  return {
    // At least 1 ms: lru-cache reads a TTL of 0 as "never expires".
    ttl: duration('cache.ttl', options.ttl, LOOKUP_CACHE_DEFAULTS.ttl, { min: 1 }),
    negativeTtl: duration('cache.negativeTtl', options.negativeTtl, LOOKUP_CACHE_DEFAULTS.negativeTtl),
    max: duration('cache.max', options.max, LOOKUP_CACHE_DEFAULTS.max, { min: 1, integer: true }),
    staleWhileRevalidate: duration('cache.staleWhileRevalidate', options.staleWhileRevalidate, 0),
    staleOnError: staleOnError === true ? Infinity : typeof staleOnError === 'number' ? staleOnError : 0,
  };
}

/** The transport options of a lookup client's core: its budget is both the per-attempt timeout and the deadline. */
export function lookupTransport(options: LookupBehaviour): Pick<ClientOptions, 'timeout' | 'deadline' | 'maxRetries' | 'retryBaseDelay' | 'retryMaxDelay'> {
  const timeout = duration('timeout', options.timeout, LOOKUP_TRANSPORT_DEFAULTS.timeout, { min: 1 });
  return {
    timeout,
    deadline: timeout,
    maxRetries: duration('maxRetries', options.maxRetries, LOOKUP_TRANSPORT_DEFAULTS.maxRetries, { integer: true }),
    retryBaseDelay: duration('retryBaseDelay', options.retryBaseDelay, LOOKUP_TRANSPORT_DEFAULTS.retryBaseDelay),
    retryMaxDelay: duration('retryMaxDelay', options.retryMaxDelay, LOOKUP_TRANSPORT_DEFAULTS.retryMaxDelay),
  };
}
