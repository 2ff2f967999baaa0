import { sql } from 'drizzle-orm';
import type { HealthResponse } from '@careos/contract';
import type { ServiceContext } from './context.js';

/** Server version reported by `/health`. */
export const SERVER_VERSION = '0.1.0';

/** `GET /health`: the process is up; the database answers within a second. */
export class HealthService {
  readonly #startedAt = Date.now();

  constructor(private readonly ctx: ServiceContext) {}

  /** Health, with `database: 'unavailable'` when the database does not answer. */
  async check(): Promise<HealthResponse> {
    const database = await Promise.race([
      this.ctx.db.orm.execute(sql`select 1`).then(
        () => 'ok' as const,
        () => 'unavailable' as const,
      ),
      new Promise<'unavailable'>((resolve) => setTimeout(() => resolve('unavailable'), 1000).unref()),
    ]);
    return {
      status: database === 'ok' ? 'ok' : 'degraded',
      version: SERVER_VERSION,
      database,
      uptime_seconds: Math.floor((Date.now() - this.#startedAt) / 1000),
    };
  }
}
