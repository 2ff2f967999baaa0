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
