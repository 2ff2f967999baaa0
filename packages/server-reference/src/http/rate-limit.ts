import { ErrorCode, ErrorText, type RateLimitBucket, type RouteSpec } from '@careos/contract';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { requestContext } from './context.js';
import { HttpError } from './errors.js';
import type { LimiterSpec, RateLimitStores } from './rate-limit-stores.js';

const WINDOW_SECONDS = 60;

/**
 * Per-credential request budgets (DESIGN §4.6) via rate-limiter-flexible, on the stores that
 * {@link RateLimitStores} chooses: in memory by default; in Redis when configured so several
 * instances share exact counts, with the shared database counting while Redis is unreachable.
 */
export class RateLimits {
  readonly #limiters = new Map<string, { limiter: RateLimiterAbstract; points: number }>();

  constructor(
    private readonly budgets: Record<RateLimitBucket, number>,
    /** The stores every limiter of the app counts in (the brute-force limits too). */
    readonly stores: RateLimitStores,
    private readonly logger: Logger,
  ) {
    for (const bucket of Object.keys(budgets) as RateLimitBucket[]) this.#limiter(bucket);
  }

  /**
   * The limiter of a bucket at a budget. A credential with a budget of its own (an integration
   * partner's custom limit) gets a limiter, and so a counter, per distinct budget.
   */
  #limiter(bucket: RateLimitBucket, points: number = this.budgets[bucket]): { limiter: RateLimiterAbstract; points: number } {
    const id = points === this.budgets[bucket] ? bucket : `${bucket}:${points}`;
    let entry = this.#limiters.get(id);
    if (!entry) {
      entry = { limiter: this.stores.create({ id, points, durationSeconds: WINDOW_SECONDS }), points };
      this.#limiters.set(id, entry);
    }
    return entry;
  }

  /**
   * Counts one request of `credential` against `bucket` (at `points` per minute when the
   * credential has its own budget). `null` when no store could count: serve rather than
   * refuse everyone.
   */
  async consume(bucket: RateLimitBucket, credential: string, points?: number | null): Promise<RateDecision | null> {
    const entry = this.#limiter(bucket, points ?? undefined);
    return this.count(entry.limiter, entry.points, credential);
  }

  /** A limiter of another kind (e.g. failed logins per account) on the same stores. */
  limiter(spec: LimiterSpec): RateLimiterAbstract {
    return this.stores.create(spec);
  }

  /**
   * Counts one event of `key` on `limiter` (whose limit is `limit`). `null` when no store
   * could count: serve rather than refuse everyone.
   */
  async count(limiter: RateLimiterAbstract, limit: number, key: string): Promise<RateDecision | null> {
    let outcome: RateLimiterRes;
    let limited = false;
    try {
      outcome = await limiter.consume(key);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) {
        this.logger.error({ err_message: (error as Error)?.message }, 'rate limiter unavailable');
        return null;
      }
      outcome = error;
      limited = true;
    }
    return { limited, limit, remaining: Math.max(0, outcome.remainingPoints), resetMs: Math.max(0, outcome.msBeforeNext) };
  }

  /** The `X-RateLimit-*` headers of a decision (plus `Retry-After` when limited). */
  headers(decision: RateDecision): Record<string, string> {
    const headers: Record<string, string> = {
      'X-RateLimit-Limit': String(decision.limit),
      'X-RateLimit-Remaining': String(decision.remaining),
      'X-RateLimit-Reset': new Date(Date.now() + decision.resetMs).toISOString(),
    };
    if (decision.limited) headers['Retry-After'] = String(retryAfterSeconds(decision));
    return headers;
  }

  /**
   * The 429 of a limited decision: the seed's `{ error, retryAfter }` in our envelope, with the
   * headers. `what` names the limit in the message (default: requests per minute).
   */
  limitedError(decision: RateDecision, what = `At most ${decision.limit} requests per minute`): HttpError {
    const retryAfter = retryAfterSeconds(decision);
    return new HttpError(
      429,
      { error: ErrorText.rateLimited, code: ErrorCode.RATE_LIMITED, message: `${what}; retry in ${retryAfter} s` },
      { body: { retryAfter }, headers: this.headers(decision) },
    );
  }

  /**
   * Middleware counting the request against its credential's bucket and setting the headers:
   * lead partners count per partner, staff per account, integration calls per API key at the
   * partner's custom budget when it has one, lookups per lookup key.
   */
  middleware(route: RouteSpec) {
    return async (_req: Request, res: Response, next: NextFunction): Promise<void> => {
      const ctx = requestContext(res);
      const credential = ctx.partner?.partnerId ?? ctx.staff?.staffId ?? ctx.integration?.apiKeyId ?? ctx.lookup?.keyId;
      if (!route.rateLimit || !credential) {
        next();
        return;
      }
      const decision = await this.consume(route.rateLimit, credential, ctx.integration?.rateLimitPerMinute);
      if (!decision) {
        next();
        return;
      }
      if (decision.limited) throw this.limitedError(decision);
      for (const [name, value] of Object.entries(this.headers(decision))) res.setHeader(name, value);
      next();
    };
  }
}

/** One counted request: whether it is over budget, and the figures for the headers. */
export interface RateDecision {
  limited: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

function retryAfterSeconds(decision: RateDecision): number {
  return Math.max(1, Math.ceil(decision.resetMs / 1000));
}
