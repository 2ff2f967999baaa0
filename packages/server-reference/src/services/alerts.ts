import { desc, eq } from 'drizzle-orm';
import { alerts } from '../db/schema/index.js';
import { newId } from '../domain/ids.js';
import type { ServiceContext } from './context.js';

/** Alert severities, most to least urgent. */
export type AlertSeverity = 'critical' | 'warning' | 'info';

/** A new ops alert. The context must not carry PHI: ids and provider messages only. */
export interface RaiseAlertInput {
  type: string;
  severity: AlertSeverity;
  message: string;
  context?: Record<string, unknown>;
}

/** A stored alert. */
export interface AlertRecord {
  id: string;
  type: string;
  severity: string;
  message: string;
  context: Record<string, unknown>;
  createdAt: Date;
  dismissedAt: Date | null;
}

/** CareOps ops alerts: the "a provider failure raises an alert" rule lands here. */
export class AlertService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Records an alert; never throws (an alert must not fail the operation that raised it). */
  async raise(input: RaiseAlertInput): Promise<string | null> {
    const id = newId('alrt', this.ctx.clock.now());
    try {
      await this.ctx.db.orm.insert(alerts).values({
        id,
        type: input.type,
        severity: input.severity,
        message: input.message,
        context: input.context ?? {},
        createdAt: this.ctx.clock.now(),
      });
      return id;
    } catch (error) {
      this.ctx.logger.error({ alert_type: input.type, err_message: (error as Error).message }, 'could not record ops alert');
      return null;
    }
  }

  /** Alerts, newest first, optionally of one type. */
  async list(options: { type?: string; limit?: number } = {}): Promise<AlertRecord[]> {
    const query = this.ctx.db.orm.select().from(alerts);
    const rows = await (options.type ? query.where(eq(alerts.type, options.type)) : query).orderBy(desc(alerts.id)).limit(options.limit ?? 100);
    return rows;
  }
}
