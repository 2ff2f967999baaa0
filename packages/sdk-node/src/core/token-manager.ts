import { abortable } from './abortable.js';

/** A bearer token and when it stops working. */
export interface AccessToken {
  /** The token itself. */
  token: string;
  /** Expiry, epoch ms; `Infinity` when unknown. */
  expiresAt: number;
}

/** Options of {@link TokenManager}. */
export interface TokenManagerOptions {
  /** Gets a fresh token (e.g. logs in). Called by at most one caller at a time. */
  fetchToken: () => Promise<AccessToken>;
  /** Below this much remaining lifetime, callers wait for a new token, ms. Default 60000. */
  refreshBefore?: number;
  /**
   * Below this much remaining lifetime, a refresh starts in the background while callers
   * keep using the current token, ms. Default 300000 (5 minutes).
   */
  backgroundRefreshBefore?: number;
  /** A token to start with (e.g. one passed in by the user). */
  initial?: AccessToken;
  /** Clock, epoch ms. */
  now?: () => number;
  /** Told when a background refresh fails; the current token stays in use until it is nearly expired. */
  onBackgroundError?: (error: unknown) => void;
}

/**
 * Keeps one bearer token fresh for any number of concurrent callers:
 * - the cached token is returned while it has more than `refreshBefore` left;
 * - within `backgroundRefreshBefore` of expiry a refresh starts without blocking anyone;
 * - for a fetched token, `refreshBefore` is capped at a quarter of its lifetime and
 *   `backgroundRefreshBefore` at half, so a short-lived token is not "old" from birth;
 * - once nearly expired (or invalidated), callers wait, and however many wait, only one
 *   `fetchToken` call is in flight;
 * - {@link invalidate} after a 401 `TOKEN_EXPIRED` drops that token only, so a hundred calls
 *   failing with the same stale token cause one refresh, not a hundred.
 *
 * Generic over how tokens are obtained: staff logins and integration-API tokens both use it.
 */
export class TokenManager {
  readonly #fetchToken: () => Promise<AccessToken>;
  readonly #refreshBefore: number;
  readonly #backgroundRefreshBefore: number;
  readonly #now: () => number;
  readonly #onBackgroundError: (error: unknown) => void;
  #current: AccessToken | undefined;
  #inflight: Promise<AccessToken> | undefined;
  /** `refreshBefore` and `backgroundRefreshBefore` as they apply to the current token. */
  #waitBelow: number;
  #backgroundBelow: number;

  /** @param options how to fetch tokens and when to refresh them */
  constructor(options: TokenManagerOptions) {
    this.#fetchToken = options.fetchToken;
    this.#refreshBefore = options.refreshBefore ?? 60_000;
    this.#backgroundRefreshBefore = Math.max(options.backgroundRefreshBefore ?? 300_000, this.#refreshBefore);
    this.#now = options.now ?? Date.now;
    this.#onBackgroundError = options.onBackgroundError ?? (() => {});
    this.#current = options.initial;
    this.#waitBelow = this.#refreshBefore;
    this.#backgroundBelow = this.#backgroundRefreshBefore;
  }

  /**
   * The current token when it is fresh enough to use without waiting (starting a background
   * refresh when it is getting old), else `undefined`. Synchronous, for the hot path.
   */
  peek(): string | undefined {
    const current = this.#current;
    if (current === undefined) return undefined;
    const left = current.expiresAt - this.#now();
    if (left <= this.#waitBelow) return undefined;
    if (left <= this.#backgroundBelow && this.#inflight === undefined) {
      this.#refresh().catch(this.#onBackgroundError);
    }
    return current.token;
  }

  /**
   * A token that is valid for at least `refreshBefore` ms, fetching one if needed.
   * @param signal stops this caller's wait (the shared refresh carries on for the others)
   */
  async getToken(signal?: AbortSignal): Promise<string> {
    const fresh = this.peek();
    if (fresh !== undefined) return fresh;
    const token = await abortable(this.#refresh(), signal);
    return token.token;
  }

  /** Forgets `token` if it is still the current one, so the next {@link getToken} fetches anew. */
  invalidate(token: string): void {
    if (this.#current?.token === token) this.#current = undefined;
  }

  #refresh(): Promise<AccessToken> {
    if (this.#inflight !== undefined) return this.#inflight;
    let fetching: Promise<AccessToken>;
    try {
      fetching = this.#fetchToken();
    } catch (error) {
      fetching = Promise.reject(error);
    }
    this.#inflight = fetching.then(
      (token) => {
        this.#current = token;
        // A short-lived token (a local server's, say) would be inside the usual windows from
        // birth and refreshed on every call: the windows shrink to a quarter and a half of its life.
        const lifetime = token.expiresAt - this.#now();
        this.#waitBelow = Math.min(this.#refreshBefore, lifetime / 4);
        this.#backgroundBelow = Math.min(this.#backgroundRefreshBefore, lifetime / 2);
        this.#inflight = undefined;
        return token;
      },
      (error: unknown) => {
        this.#inflight = undefined;
        throw error;
      },
    );
    return this.#inflight;
  }
}

/**
 * Expiry of a JWT from its `exp` claim, epoch ms, or `Infinity` when the token is not a JWT
 * or has no readable `exp`. The signature is not checked: this only decides when to refresh.
 */
export function jwtExpiry(token: string): number {
  const payload = token.split('.')[1];
  if (payload === undefined) return Infinity;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp * 1000 : Infinity;
  } catch {
    return Infinity;
  }
}
