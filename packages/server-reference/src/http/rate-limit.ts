import { ErrorCode, ErrorText, type RateLimitBucket, type RouteSpec } from '@careos/contract';
import type { NextFunction, Request, Response } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { requestContext } from './context.js';
import { HttpError } from './errors.js';

const WINDOW_SECONDS = 60;

/**
 * Per-credential request budgets (DESIGN §4.6) via rate-limiter-flexible: in memory by
 * default, in Redis when configured so several instances share exact counts, with an
 * in-memory insurance limiter taking over while Redis is unreachable.
 */
export class RateLimits {
  readonly #limiters = new Map<RateLimitBucket, { limiter: RateLimiterAbstract; points: number }>();

  constructor(
    budgets: Record<RateLimitBucket, number>,
    redis: Redis | null,
    private readonly logger: Logger,
  ) {
    for (const [bucket, points] of Object.entries(budgets) as [RateLimitBucket, number][]) {
      const options = { points, duration: WINDOW_SECONDS, keyPrefix: `careos:rl:${bucket}` };
      const limiter = redis
        ? new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(options) })
        : new RateLimiterMemory(options);
      this.#limiters.set(bucket, { limiter, points });
    }
  }

  /** Middleware counting the request against its credential's bucket and setting the headers. */
  middleware(route: RouteSpec) {
    return async (_req: Request, res: Response, next: NextFunction): Promise<void> => {
      const bucket = route.rateLimit ? this.#limiters.get(route.rateLimit) : undefined;
      const ctx = requestContext(res);
      const credential = ctx.partner?.partnerId ?? ctx.staff?.staffId;
      if (!bucket || !credential) {
        next();
        return;
      }
      let outcome: RateLimiterRes;
      let limited = false;
      try {
        outcome = await bucket.limiter.consume(credential);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) {
          // Both stores failed: serve rather than refuse everyone.
          this.logger.error({ err_message: (error as Error)?.message }, 'rate limiter unavailable');
          next();
          return;
        }
        outcome = error;
        limited = true;
      }
      const resetMs = Math.max(0, outcome.msBeforeNext);
      res.setHeader('X-RateLimit-Limit', String(bucket.points));
      res.setHeader('X-RateLimit-Remaining', String(Math.max(0, outcome.remainingPoints)));
      res.setHeader('X-RateLimit-Reset', new Date(Date.now() + resetMs).toISOString());
      if (limited) {
        const retryAfter = Math.max(1, Math.ceil(resetMs / 1000));
        res.setHeader('Retry-After', String(retryAfter));
        throw new HttpError(
          429,
          { error: ErrorText.rateLimited, code: ErrorCode.RATE_LIMITED, message: `At most ${bucket.points} requests per minute; retry in ${retryAfter} s` },
          { body: { retryAfter } },
        );
      }
      next();
    };
  }
}
