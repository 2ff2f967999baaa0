import { z } from 'zod';

/** `GET /health` (CareOps health check). */
export const HealthResponse = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string(),
    database: z.enum(['ok', 'unavailable']),
    uptime_seconds: z.number().int().nonnegative(),
  })
  .meta({ id: 'Health' });

/** Parsed health response. */
export type HealthResponse = z.infer<typeof HealthResponse>;

/** Where rate-limit counts are kept (DESIGN §4.6), as `/health/ready` reports it. */
export const RateLimitStoreStatus = z
  .object({
    store: z.enum(['redis', 'database', 'memory']).describe('The store counting now: Redis, the shared database (while Redis is unreachable), or this instance’s memory'),
    fallback: z.boolean().describe('A fallback store is counting because the configured one (Redis) does not answer'),
    exact: z.boolean().describe('Limits hold exactly across every instance (one shared store counts, or a single embedded instance)'),
  })
  .meta({ id: 'RateLimitStoreStatus' });

/** `GET /health/ready`: the instance can serve (start-up done, database answering), and how it counts rate limits. */
export const ReadinessResponse = z
  .object({
    status: z.literal('ready'),
    database: z.literal('ok'),
    rate_limits: RateLimitStoreStatus,
  })
  .meta({ id: 'Readiness' });

/** Parsed readiness response. */
export type ReadinessResponse = z.infer<typeof ReadinessResponse>;
