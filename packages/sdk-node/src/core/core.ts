import { randomUUID } from 'node:crypto';
import {
  routes,
  type IntegrationAuthRequest,
  type RouteOutcome,
  type RouteSpec,
} from '@careos/contract';
import type { Dispatcher } from 'undici';
import type { PhoneContext } from '../leads/ingest-params.js';
import { PhoneEncryptor } from '../phone/encryptor.js';
import { VERSION } from '../version.js';
import { abortReason, sleep } from './abortable.js';
import { deadlineError, isTokenExpired, sendAttempt, type Call } from './attempt.js';
import { APIPromise, type WithResponse } from './api-promise.js';
import { APIUserAbortError, CareOSError } from './errors.js';
import type { GiveUpReason } from './hooks.js';
import {
  checkRequestNumber,
  ENV_VARS,
  integrationCredentialsError,
  resolveOptions,
  type ClientOptions,
  type IntegrationClientOptions,
  type RequestOptions,
  type ResolvedOptions,
} from './options.js';
import { Page, PagePromise } from './pagination.js';
import { buildBody, buildPath, listItemsKey, lowerCaseHeaders } from './request-parts.js';
import type { RequestInput } from './request-input.js';
import { retryDelay } from './retry-policy.js';
import { integrationTokenManager, staffTokenManager, type SendForData } from './bearer-tokens.js';
import type { TokenManager } from './token-manager.js';
import { createDispatcher } from './transport.js';

/** Auth schemes whose bearer token the core obtains and refreshes itself. */
type TokenScheme = 'staffJwt' | 'integrationJwt';

const USER_AGENT = `careos-sdk-node/${VERSION} node/${process.versions.node}`;
const NO_INPUT: RequestInput = Object.freeze({});

/**
 * All transport logic of the SDK: auth headers, client-side validation, the undici
 * keep-alive pool, retries with backoff and `Retry-After`, idempotency keys, timeouts and
 * deadlines, aborts, token refresh, hooks and logging. Resources only name a route and pass
 * the caller's input.
 */
export class CareOSCore {
  /** Resolved client options. */
  readonly options: ResolvedOptions;
  /** What `leads.ingest()` needs to encrypt and hash a plain phone. */
  readonly phone: PhoneContext;
  readonly #baseHeaders: Record<string, string>;
  #dispatcher: Dispatcher | undefined;
  #closed = false;
  #staffTokens: TokenManager | undefined;
  #integrationTokens: TokenManager | undefined;
  #encryptor: PhoneEncryptor | undefined;
  /** The pool, created on first use; a function so that a closed client fails inside the attempt. */
  readonly #dispatcherOf = (): Dispatcher => this.#dispatcherOrThrow();

  /**
   * @param options client options; env defaults are applied here
   * @param integration integration credentials, for `new CareOSIntegration()` only
   */
  constructor(options?: ClientOptions, integration?: Pick<IntegrationClientOptions, 'apiKey' | 'apiSecret' | 'therapistId'>) {
    const resolved = resolveOptions(options, integration);
    this.options = resolved;
    this.#dispatcher = resolved.dispatcher;
    this.#baseHeaders = lowerCaseHeaders(resolved.defaultHeaders, { accept: 'application/json', 'user-agent': USER_AGENT });
    this.phone = {
      encryptor: () => (this.#encryptor ??= this.#createEncryptor()),
      phoneHashSalt: resolved.phoneHashSalt,
      defaultCountry: resolved.defaultCountry,
      platform: resolved.platform,
    };
    const send: SendForData = async <T>(route: RouteSpec, input: RequestInput) => (await this.#call<T>(route, input, undefined)).data;
    this.#staffTokens = staffTokenManager(resolved, send);
    this.#integrationTokens = integrationTokenManager(resolved, send);
  }

  /**
   * The body of `POST /api/integration/auth` from the client's credentials, with `overrides`
   * (e.g. another `therapistId`) taking precedence where they are set.
   */
  integrationAuthBody(overrides?: Partial<IntegrationAuthRequest>): Partial<IntegrationAuthRequest> {
    const body: Partial<IntegrationAuthRequest> = { ...this.options.integration };
    for (const [key, value] of Object.entries(overrides ?? {}) as [keyof IntegrationAuthRequest, string | undefined][]) {
      if (value !== undefined) body[key] = value;
    }
    return body;
  }

  /**
   * The bearer token the client sends on the routes authenticated by tokens from `issuer`
   * (`routes.createIntegrationToken`): the cached one while it is fresh, else one fetched
   * through `issuer`, shared with every concurrent caller.
   */
  async cachedToken(issuer: RouteSpec, options?: Pick<RequestOptions, 'signal'>): Promise<string> {
    if (this.#closed) throw new CareOSError('This CareOS client has been closed');
    if (issuer === routes.createIntegrationToken) {
      if (this.#integrationTokens === undefined) throw integrationCredentialsError(issuer, this.options.integration);
      return this.#bearer('integrationJwt', options?.signal);
    }
    throw new CareOSError(`${issuer.id} does not issue bearer tokens`);
  }

  /**
   * Calls `route` and resolves with its parsed response, or with the body of one of the route's
   * documented alternative answers (e.g. the lookup's 404 `{ found: false }`).
   */
  request<R extends RouteSpec>(route: R, input?: RequestInput | (() => RequestInput), options?: RequestOptions): APIPromise<RouteOutcome<R>> {
    return new APIPromise(this.#call<RouteOutcome<R>>(route, input, options));
  }

  /**
   * Calls a list route and resolves with its first page; the result also iterates every item.
   * `params` fills the path of a list under one record (e.g. one contact's messages).
   */
  requestPage<Item>(route: RouteSpec, query: object | undefined, options?: RequestOptions, params?: Readonly<Record<string, string>>): PagePromise<Item> {
    const key = listItemsKey(route);
    const load = (cursor: string | undefined): PagePromise<Item> =>
      new PagePromise(
        this.#call<Record<string, unknown>>(route, { ...(params ? { params } : {}), query: cursor === undefined ? query : { ...query, cursor } }, options).then(
          ({ data, response }) => {
            const items = data?.[key];
            if (!Array.isArray(items)) throw new CareOSError(`List response of ${route.id} has no "${key}" array`);
            const next = typeof data.next_cursor === 'string' && data.next_cursor !== '' ? data.next_cursor : null;
            return { data: new Page<Item>(load, items as Item[], next, data), response };
          },
        ),
      );
    return load(undefined);
  }

  /** Closes the connection pool this client created; a dispatcher passed in by the caller is left open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const owned = this.options.dispatcher === undefined ? this.#dispatcher : undefined;
    this.#dispatcher = undefined;
    await owned?.close();
  }

  #dispatcherOrThrow(): Dispatcher {
    if (this.#closed) throw new CareOSError('This CareOS client has been closed');
    return (this.#dispatcher ??= createDispatcher(this.options.env, this.options.timeout));
  }

  #createEncryptor(): PhoneEncryptor {
    const { publicKey } = this.options;
    if (publicKey === undefined) {
      throw new CareOSError(
        'publicKey is required to send a plain phone: pass it to new CareOS() or set CAREOS_PUBLIC_KEY ' +
          '(client.keys.retrievePublic() shows the current key)',
      );
    }
    return new PhoneEncryptor(publicKey);
  }

  /** Checks that the route's credentials are configured and sets the static ones. */
  #applyAuth(route: RouteSpec, headers: Record<string, string>): void {
    const o = this.options;
    if (route.auth === 'partnerKey') {
      if (o.apiKey === undefined) throw new CareOSError(`${route.method} ${route.path} needs a partner API key: pass apiKey to new CareOS() or set CAREOS_API_KEY`);
      if (o.platform === undefined) throw new CareOSError(`${route.method} ${route.path} needs your platform name: pass platform to new CareOS() or set CAREOS_PLATFORM`);
      headers['x-api-key'] = o.apiKey;
      headers['x-platform'] = o.platform;
    } else if (route.auth === 'staffJwt' && o.staffToken === undefined && this.#staffTokens === undefined) {
      throw new CareOSError(
        `${route.method} ${route.path} needs staff credentials: pass staffToken, or staffEmail and staffPassword ` +
          '(env CAREOS_ADMIN_EMAIL and CAREOS_ADMIN_PASSWORD), to new CareOS()',
      );
    } else if (route.auth === 'integrationJwt' && this.#integrationTokens === undefined) {
      throw integrationCredentialsError(route, o.integration);
    } else if (route.auth === 'lookupKey') {
      if (o.lookupApiKey === undefined) {
        throw new CareOSError(`${route.method} ${route.path} needs a lookup API key: pass apiKey to new LookupClient() (lookupApiKey to new CareOS()) or set ${ENV_VARS.lookupApiKey}`);
      }
      if (o.lookupAuth === 'bearer') headers.authorization = `Bearer ${o.lookupApiKey}`;
      else headers['x-api-key'] = o.lookupApiKey;
    }
  }

  /** The bearer token for `scheme`: synchronous while the cached one is fresh, else a promise of the refreshed one. */
  #bearer(scheme: TokenScheme, signal: AbortSignal | undefined): string | Promise<string> {
    const tokens = this.#tokens(scheme);
    // Without a manager only a given staffToken remains: #applyAuth has refused integration routes without credentials.
    if (tokens === undefined) return this.options.staffToken as string;
    return tokens.peek() ?? tokens.getToken(signal);
  }

  /**
   * The bearer token a call carries, if any: its route's scheme, or staff credentials on a route
   * that takes an optional staff token (`auth.register`) when this client has them.
   */
  #tokenScheme(route: RouteSpec): TokenScheme | undefined {
    if (route.auth === 'staffJwt' || route.auth === 'integrationJwt') return route.auth;
    if (route.optionalStaffToken && (this.options.staffToken !== undefined || this.#staffTokens !== undefined)) return 'staffJwt';
    return undefined;
  }

  #tokens(scheme: TokenScheme): TokenManager | undefined {
    return scheme === 'staffJwt' ? this.#staffTokens : this.#integrationTokens;
  }

  /**
   * Prepares a call (options, auth, validation, body bytes) and runs its attempts. Not an async
   * function: on the common path (no signal, no deadline) the attempts' promise is returned as
   * is, saving a promise and two microtask turns per call; preparation errors still reject.
   */
  #call<T>(route: RouteSpec, input: RequestInput | (() => RequestInput) | undefined, options: RequestOptions | undefined): Promise<WithResponse<T>> {
    let call: Call;
    let maxRetries: number;
    let timeout: number;
    try {
      const userSignal = options?.signal;
      if (userSignal?.aborted) throw new APIUserAbortError(undefined, { cause: abortReason(userSignal) });
      if (this.#closed) throw new CareOSError('This CareOS client has been closed');
      const o = this.options;
      maxRetries = checkRequestNumber('maxRetries', options?.maxRetries) ?? o.maxRetries;
      timeout = checkRequestNumber('timeout', options?.timeout) ?? o.timeout;
      const deadline = checkRequestNumber('deadline', options?.deadline) ?? o.deadline;

      const headers = { ...this.#baseHeaders };
      this.#applyAuth(route, headers);
      const raw = (typeof input === 'function' ? input() : input) ?? NO_INPUT;
      const path = buildPath(o.pathPrefix, route, raw);
      const body = buildBody(route, raw, o.validateRequestBodies);
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (raw.headers !== undefined) lowerCaseHeaders(raw.headers, headers);
      if (route.method === 'POST') headers['idempotency-key'] = options?.idempotencyKey ?? randomUUID();
      if (options?.headers !== undefined) lowerCaseHeaders(options.headers, headers);
      call = {
        route,
        path,
        headers,
        body,
        idempotencyKey: headers['idempotency-key'],
        userSignal,
        waitSignal: userSignal,
        deadline,
        deadlineHit: false,
        current: undefined,
        started: performance.now(),
      };
    } catch (error) {
      return Promise.reject(error);
    }
    if (call.deadline === undefined && call.userSignal === undefined) return this.#attempts<T>(call, maxRetries, timeout);
    return this.#attemptsWithSignals<T>(call, maxRetries, timeout);
  }

  /** Runs the attempts with the caller's signal and the deadline wired in: one timer and one listener per call. */
  async #attemptsWithSignals<T>(call: Call, maxRetries: number, timeout: number): Promise<WithResponse<T>> {
    const { deadline, userSignal } = call;
    let timer: NodeJS.Timeout | undefined;
    let stop: AbortController | undefined;
    if (deadline !== undefined) {
      stop = new AbortController();
      call.waitSignal = stop.signal;
      timer = setTimeout(() => {
        call.deadlineHit = true;
        call.current?.abort(deadlineError(deadline));
        stop?.abort(deadlineError(deadline));
      }, deadline);
    }
    const onUserAbort = () => {
      call.current?.abort(new APIUserAbortError());
      stop?.abort(abortReason(userSignal as AbortSignal));
    };
    userSignal?.addEventListener('abort', onUserAbort, { once: true });
    try {
      return await this.#attempts<T>(call, maxRetries, timeout);
    } finally {
      clearTimeout(timer);
      userSignal?.removeEventListener('abort', onUserAbort);
    }
  }

  async #attempts<T>(call: Call, maxRetries: number, timeout: number): Promise<WithResponse<T>> {
    const { route, headers, deadline } = call;
    const { hooks, logger } = this.options;
    const scheme = this.#tokenScheme(route);
    const tokens = scheme === undefined ? undefined : this.#tokens(scheme);
    let attempt = 0;
    let retries = 0;
    let replayedAuth = false;
    for (;;) {
      attempt++;
      let attemptTimeout = timeout;
      if (deadline !== undefined) {
        const left = deadline - (performance.now() - call.started);
        if (left <= 0) throw this.#giveUp(call, attempt - 1, deadlineError(deadline), 'deadline_exceeded');
        attemptTimeout = Math.min(timeout, Math.ceil(left));
      }

      let token: string | undefined;
      if (scheme !== undefined) {
        try {
          token = await this.#bearer(scheme, call.waitSignal);
        } catch (error) {
          throw this.#interrupted(call, attempt - 1, error) ?? error;
        }
        headers.authorization = `Bearer ${token}`;
      }

      const began = performance.now();
      const outcome = await sendAttempt(call, attemptTimeout, this.#dispatcherOf, this.options);
      const durationMs = performance.now() - began;

      if (outcome.kind === 'ok') {
        if (hooks.onAttempt) {
          const { status, requestId } = outcome.result.response;
          this.#hook('onAttempt', () => hooks.onAttempt?.({ ...this.#describe(call), attempt, durationMs, status, requestId, error: undefined, willRetry: false, retryDelayMs: undefined }));
        }
        if (logger.enabled('debug')) logger.debug(`${route.method} ${call.path} ${outcome.result.response.status} in ${Math.round(durationMs)} ms`, { attempt, request_id: outcome.result.response.requestId });
        return outcome.result as WithResponse<T>;
      }
      if (outcome.kind === 'abort') throw outcome.error;

      let reason: GiveUpReason | undefined;
      let delay: number | undefined;
      let finalError: CareOSError = outcome.error;
      if (outcome.kind === 'deadline') {
        reason = 'deadline_exceeded';
      } else if (token !== undefined && !replayedAuth && tokens !== undefined && isTokenExpired(outcome.error)) {
        // An expired token is not a failure of the request: refresh once and replay at once. Only
        // this token is dropped, so calls that failed with it together share one refresh.
        replayedAuth = true;
        tokens.invalidate(token);
        delay = 0;
      } else if (!outcome.retryable) {
        reason = 'not_retryable';
      } else if (retries >= maxRetries) {
        reason = 'retries_exhausted';
      } else {
        delay = retryDelay(retries + 1, outcome.retryAfterMs, this.options);
        if (deadline !== undefined && performance.now() - call.started + delay >= deadline) {
          reason = 'deadline_exceeded';
          finalError = deadlineError(deadline, outcome.error);
          delay = undefined;
        } else retries++;
      }

      const status = outcome.kind === 'error' ? outcome.status : undefined;
      const requestId = outcome.kind === 'error' ? outcome.requestId : undefined;
      if (hooks.onAttempt) {
        this.#hook('onAttempt', () => hooks.onAttempt?.({ ...this.#describe(call), attempt, durationMs, status, requestId, error: outcome.error, willRetry: delay !== undefined, retryDelayMs: delay }));
      }
      if (delay === undefined) throw this.#giveUp(call, attempt, finalError, reason ?? 'not_retryable');

      if (logger.enabled('warn')) {
        logger.warn(`${route.method} ${call.path} attempt ${attempt} failed (${outcome.error.message}); retrying in ${delay} ms`, { request_id: requestId });
      }
      try {
        await sleep(delay, call.waitSignal);
      } catch (error) {
        throw this.#interrupted(call, attempt, error) ?? error;
      }
    }
  }

  /** Maps an abort seen outside an attempt (while waiting for a token or a retry) to the right error. */
  #interrupted(call: Call, attempts: number, cause: unknown): CareOSError | undefined {
    if (call.userSignal?.aborted) return new APIUserAbortError(undefined, { cause });
    if (call.deadlineHit) return this.#giveUp(call, attempts, deadlineError(call.deadline as number), 'deadline_exceeded');
    return undefined;
  }

  #giveUp(call: Call, attempts: number, error: CareOSError, reason: GiveUpReason): CareOSError {
    const { hooks, logger } = this.options;
    const elapsedMs = performance.now() - call.started;
    if (hooks.onGiveUp) this.#hook('onGiveUp', () => hooks.onGiveUp?.({ ...this.#describe(call), attempts, elapsedMs, error, reason }));
    if (logger.enabled('error')) {
      logger.error(`${call.route.method} ${call.path} failed after ${attempts} attempt(s): ${error.message}`, { reason });
    }
    return error;
  }

  #describe(call: Call) {
    const queryAt = call.path.indexOf('?');
    return {
      routeId: call.route.id,
      method: call.route.method,
      path: queryAt === -1 ? call.path : call.path.slice(0, queryAt),
      idempotencyKey: call.idempotencyKey,
    };
  }

  #hook(name: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.options.logger.warn(`The ${name} hook threw; ignoring it`, { error });
    }
  }
}
