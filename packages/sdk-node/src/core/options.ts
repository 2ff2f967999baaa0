import type { KeyObject } from 'node:crypto';
import type { NormalizePhoneOptions, RouteSpec } from '@careos/contract';
import type { Dispatcher } from 'undici';
import { CareOSError } from './errors.js';
import type { Hooks } from './hooks.js';
import type { LookupBehaviour, LookupClientOptions } from '../lookup/options.js';
import { createLogger, isLogLevel, type Logger, type LogLevel, type SafeLogger } from './logger.js';

/** ISO 3166-1 alpha-2 country code assumed for phone numbers written without a country code. */
export type CountryCode = NonNullable<NormalizePhoneOptions['defaultCountry']>;

/** Environment variables read when the matching option is omitted. */
export const ENV_VARS = {
  baseURL: 'CAREOS_API_URL',
  apiKey: 'CAREOS_API_KEY',
  platform: 'CAREOS_PLATFORM',
  publicKey: 'CAREOS_PUBLIC_KEY',
  phoneHashSalt: 'PHONE_HASH_SALT',
  staffEmail: 'CAREOS_ADMIN_EMAIL',
  staffPassword: 'CAREOS_ADMIN_PASSWORD',
  integrationApiKey: 'CAREOS_INTEGRATION_API_KEY',
  integrationApiSecret: 'CAREOS_INTEGRATION_API_SECRET',
  therapistId: 'CAREOS_THERAPIST_ID',
  lookupApiKey: 'CAREOS_LOOKUP_API_KEY',
  logger: 'CAREOS_LOG',
} as const;

/**
 * How a lookup API key travels: `header` sends `x-api-key: <key>` (the seed's recommendation for
 * CCaaS), `bearer` sends `Authorization: Bearer <key>`. The server accepts the same key either way.
 */
export type LookupAuth = 'header' | 'bearer';

/** Production base URL of the CareOS API. */
export const DEFAULT_BASE_URL = 'https://api.careos.app';

/** Options of `new CareOS(options)`. Every one is optional; see each for its env var and default. */
export interface ClientOptions {
  /** API base URL. Env `CAREOS_API_URL`; default `https://api.careos.app`. */
  baseURL?: string;
  /** Partner API key, sent as `X-API-Key` on partner routes. Env `CAREOS_API_KEY`. */
  apiKey?: string;
  /** Partner platform, sent as `X-Platform`, and the default `source_platform` of leads. Env `CAREOS_PLATFORM`. */
  platform?: string;
  /**
   * CareOS phone-encryption public key (PEM, also the `.env` one-line form with literal `\n`,
   * or a `KeyObject`), used to encrypt plain phones in `leads.ingest`. Env `CAREOS_PUBLIC_KEY`.
   */
  publicKey?: string | KeyObject;
  /** Salt of the phone hash `sha256(e164 + salt)`, issued with your API key. Env `PHONE_HASH_SALT`. */
  phoneHashSalt?: string;
  /** Country assumed for phones written without a country code. Default `US`. */
  defaultCountry?: CountryCode;
  /**
   * CCaaS lookup API key, for `client.lookup` (the screen-pop {@link LookupClient}). Env
   * `CAREOS_LOOKUP_API_KEY`.
   */
  lookupApiKey?: string;
  /**
   * How `client.lookup` behaves: its cache, its 2 s budget, retries, `auth` and `throwOnError`
   * (see {@link LookupClientOptions}). The client's own `timeout`, `deadline` and retry options do
   * not apply to lookups: a screen pop has its own, much shorter, budget.
   */
  lookup?: LookupBehaviour;
  /** Staff/admin bearer token for `/admin` routes. Without `staffEmail`/`staffPassword` it cannot be refreshed. */
  staffToken?: string;
  /** Staff/admin email: the SDK logs in via `/auth/login` and keeps the token fresh. Env `CAREOS_ADMIN_EMAIL`. */
  staffEmail?: string;
  /** Staff/admin password. Env `CAREOS_ADMIN_PASSWORD`. */
  staffPassword?: string;
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** Base of the exponential backoff, ms. Default 500. */
  retryBaseDelay?: number;
  /** Cap of the exponential backoff, ms. Default 8000. */
  retryMaxDelay?: number;
  /** Longest `Retry-After` honoured, ms; longer server requests are clamped to it. Default 60000. */
  maxRetryAfter?: number;
  /** Per-attempt timeout (connect, then waiting for headers, then between body chunks), ms. Default 30000. */
  timeout?: number;
  /** Overall budget of one call including retries and waits, ms. Default: none. */
  deadline?: number;
  /** A logger object, or a level for the built-in stderr logger. Env `CAREOS_LOG`; default `off`. */
  logger?: Logger | LogLevel;
  /** Lowest level passed to a logger object. Default `debug` (the logger filters). */
  logLevel?: LogLevel;
  /** Observers of each attempt and of a call's final failure. */
  hooks?: Hooks;
  /** Headers added to every request. */
  defaultHeaders?: Record<string, string>;
  /**
   * Your own undici dispatcher (Agent, Pool, ProxyAgent, MockAgent...). The client then does
   * not create one, and `close()` leaves yours open.
   */
  dispatcher?: Dispatcher;
  /** Parse every response with the contract's schema (slower; for tests and debugging). Default false. */
  validateResponses?: boolean;
  /**
   * Check request bodies against the contract before sending (`RequestValidationError`,
   * nothing sent). Default true. Turning it off saves a few microseconds per call for
   * senders that validate upstream; the server still rejects bad bodies with a 400. Path and
   * query parameters are always checked.
   */
  validateRequestBodies?: boolean;
  /** Where env defaults are read from. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Options that only concern the partner and staff credentials of `new CareOS()`. */
export type CareOSCredentialOptions =
  | 'apiKey'
  | 'platform'
  | 'publicKey'
  | 'phoneHashSalt'
  | 'defaultCountry'
  | 'staffToken'
  | 'staffEmail'
  | 'staffPassword'
  | 'lookupApiKey'
  | 'lookup';

/**
 * Options of `new CareOSIntegration(options)`: the integration credentials plus every transport
 * option of {@link ClientOptions} (retries, timeouts, hooks, logger, dispatcher...). Every one is
 * optional; see each for its env var.
 */
export interface IntegrationClientOptions extends Omit<ClientOptions, CareOSCredentialOptions> {
  /** Integration API key (`int_live_…`), issued with its secret. Env `CAREOS_INTEGRATION_API_KEY`. */
  apiKey?: string;
  /** Integration API secret (`sk_live_…`, shown once when the key was issued). Env `CAREOS_INTEGRATION_API_SECRET`. */
  apiSecret?: string;
  /** The therapist this client acts for; tokens are issued per therapist. Env `CAREOS_THERAPIST_ID`. */
  therapistId?: string;
}

/** Integration credentials after env defaults; any may be missing until a call needs them. */
export interface IntegrationCredentials {
  apiKey: string | undefined;
  apiSecret: string | undefined;
  therapistId: string | undefined;
}

/** Per-call options, the last argument of every method. They override the client's. */
export interface RequestOptions {
  /** Aborts the call (including retries and waits); the call rejects with `APIUserAbortError`. */
  signal?: AbortSignal;
  /** Per-attempt timeout for this call, ms. */
  timeout?: number;
  /** Overall budget for this call, ms. */
  deadline?: number;
  /** Retries for this call. */
  maxRetries?: number;
  /** `Idempotency-Key` for a POST; default a random UUID, the same on every retry of the call. */
  idempotencyKey?: string;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
}

/** Client options after env defaults and validation. */
export interface ResolvedOptions {
  baseURL: string;
  /** `scheme://host:port` of `baseURL`. */
  origin: string;
  /** Path of `baseURL` without a trailing slash (`''` for a bare host). */
  pathPrefix: string;
  apiKey: string | undefined;
  platform: string | undefined;
  publicKey: string | KeyObject | undefined;
  phoneHashSalt: string | undefined;
  defaultCountry: CountryCode;
  staffToken: string | undefined;
  staffEmail: string | undefined;
  staffPassword: string | undefined;
  /** Lookup API key (`CAREOS_LOOKUP_API_KEY`), sent on `lookupKey` routes. */
  lookupApiKey: string | undefined;
  /** How the lookup key is sent. */
  lookupAuth: LookupAuth;
  /** Set for `new CareOSIntegration()` only: `new CareOS()` has no integration routes. */
  integration: IntegrationCredentials | undefined;
  maxRetries: number;
  retryBaseDelay: number;
  retryMaxDelay: number;
  maxRetryAfter: number;
  timeout: number;
  deadline: number | undefined;
  hooks: Hooks;
  defaultHeaders: Record<string, string>;
  dispatcher: Dispatcher | undefined;
  validateResponses: boolean;
  validateRequestBodies: boolean;
  logger: SafeLogger;
  env: Readonly<Record<string, string | undefined>>;
}

/** Treats empty strings as unset, as shells and `.env` files produce them. */
function pick<T>(option: T | undefined, env: Readonly<Record<string, string | undefined>>, name: string): T | string | undefined {
  if (option !== undefined && option !== '') return option;
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function count(name: string, value: number | undefined, fallback: number, { integer = false, min = 0 } = {}): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new CareOSError(`Invalid option ${name}: expected a${integer ? 'n integer' : ' number'} >= ${min}`);
  }
  return value;
}

/** Checks a per-request option with the same rules as the client option of the same name. */
export function checkRequestNumber(name: 'timeout' | 'deadline' | 'maxRetries', value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  return count(name, value, 0, name === 'maxRetries' ? { integer: true } : { min: 1 });
}

function lookupAuth(value: LookupAuth | undefined): LookupAuth {
  if (value === undefined) return 'header';
  if (value !== 'header' && value !== 'bearer') throw new CareOSError(`Invalid lookup auth "${String(value)}": expected header or bearer`);
  return value;
}

/**
 * Applies env defaults and validates the options once, at construction, so that a typo
 * fails at start-up rather than on the first request.
 * @param options client options
 * @param integration the integration credentials given to `new CareOSIntegration()` (absent for `new CareOS()`)
 */
export function resolveOptions(options: ClientOptions = {}, integration?: Pick<IntegrationClientOptions, 'apiKey' | 'apiSecret' | 'therapistId'>): ResolvedOptions {
  const env = options.env ?? process.env;
  const baseURL = String(pick(options.baseURL, env, ENV_VARS.baseURL) ?? DEFAULT_BASE_URL);
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    throw new CareOSError(`Invalid baseURL "${baseURL}": expected an absolute http(s) URL such as ${DEFAULT_BASE_URL}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CareOSError(`Invalid baseURL "${baseURL}": only http and https are supported`);
  }
  if (url.search || url.hash) throw new CareOSError(`Invalid baseURL "${baseURL}": it may not have a query or fragment`);

  const logOption = pick(options.logger, env, ENV_VARS.logger);
  if (typeof logOption === 'string' && !isLogLevel(logOption)) {
    throw new CareOSError(`Invalid logger level "${logOption}": expected debug, info, warn, error or off`);
  }
  if (options.logLevel !== undefined && !isLogLevel(options.logLevel)) {
    throw new CareOSError(`Invalid logLevel "${String(options.logLevel)}"`);
  }

  return {
    baseURL,
    origin: url.origin,
    pathPrefix: url.pathname.replace(/\/+$/, ''),
    apiKey: pick(options.apiKey, env, ENV_VARS.apiKey),
    platform: pick(options.platform, env, ENV_VARS.platform),
    publicKey: pick(options.publicKey, env, ENV_VARS.publicKey),
    phoneHashSalt: pick(options.phoneHashSalt, env, ENV_VARS.phoneHashSalt),
    defaultCountry: options.defaultCountry ?? 'US',
    staffToken: options.staffToken || undefined,
    staffEmail: pick(options.staffEmail, env, ENV_VARS.staffEmail),
    staffPassword: pick(options.staffPassword, env, ENV_VARS.staffPassword),
    lookupApiKey: pick(options.lookupApiKey, env, ENV_VARS.lookupApiKey),
    lookupAuth: lookupAuth(options.lookup?.auth),
    integration:
      integration === undefined
        ? undefined
        : {
            apiKey: pick(integration.apiKey, env, ENV_VARS.integrationApiKey),
            apiSecret: pick(integration.apiSecret, env, ENV_VARS.integrationApiSecret),
            therapistId: pick(integration.therapistId, env, ENV_VARS.therapistId),
          },
    maxRetries: count('maxRetries', options.maxRetries, 3, { integer: true }),
    retryBaseDelay: count('retryBaseDelay', options.retryBaseDelay, 500),
    retryMaxDelay: count('retryMaxDelay', options.retryMaxDelay, 8000),
    maxRetryAfter: count('maxRetryAfter', options.maxRetryAfter, 60_000),
    timeout: count('timeout', options.timeout, 30_000, { min: 1 }),
    deadline: options.deadline === undefined ? undefined : count('deadline', options.deadline, 0, { min: 1 }),
    hooks: options.hooks ?? {},
    defaultHeaders: { ...options.defaultHeaders },
    dispatcher: options.dispatcher,
    validateResponses: options.validateResponses ?? false,
    validateRequestBodies: options.validateRequestBodies ?? true,
    logger: createLogger(logOption as Logger | LogLevel | undefined, options.logLevel),
    env,
  };
}

/** Says which integration credentials are missing and where they come from. */
export function integrationCredentialsError(route: RouteSpec, credentials: IntegrationCredentials | undefined): CareOSError {
  if (credentials === undefined) {
    return new CareOSError(`${route.method} ${route.path} is a therapist-integration route: call it through new CareOSIntegration()`);
  }
  const missing = [
    credentials.apiKey === undefined ? `apiKey (env ${ENV_VARS.integrationApiKey})` : undefined,
    credentials.apiSecret === undefined ? `apiSecret (env ${ENV_VARS.integrationApiSecret})` : undefined,
    credentials.therapistId === undefined ? `therapistId (env ${ENV_VARS.therapistId})` : undefined,
  ].filter((name) => name !== undefined);
  return new CareOSError(`${route.method} ${route.path} needs integration credentials: pass ${missing.join(', ')} to new CareOSIntegration()`);
}
