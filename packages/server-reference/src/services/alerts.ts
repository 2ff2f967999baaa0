import type { OpsAlert, OpsAlertCount } from '@careos/contract';
import { ErrorCode, ErrorText } from '@careos/contract';
import { and, count, desc, eq, isNotNull, isNull, lt, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/database.js';
import { alerts } from '../db/schema/index.js';
import { decodeCursor, page } from '../domain/cursor.js';
import { DomainError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { ServiceContext } from './context.js';

/** Alert severities, most to least urgent. */
export type AlertSeverity = 'critical' | 'warning' | 'info';

/** A new ops alert. The context must not carry PHI: ids, figures and provider messages only. */
export interface RaiseAlertInput {
  type: string;
  severity: AlertSeverity;
  message: string;
  context?: Record<string, unknown>;
  /** The record the alert is about, if one. */
  subject?: { type: string; id: string };
}

/** A stored alert. */
export type AlertRecord = typeof alerts.$inferSelect;

/** Filters and page of {@link AlertService.page}. */
export interface AlertPageInput {
  limit: number;
  cursor?: string | undefined;
  type?: string | undefined;
  severity?: AlertSeverity | undefined;
  dismissed?: boolean | undefined;
}

const SEVERITIES: readonly AlertSeverity[] = ['critical', 'warning', 'info'];

/** A stored alert as the API shows it. */
export function alertDto(row: AlertRecord): OpsAlert {
  return {
    id: row.id,
    type: row.type,
    severity: (SEVERITIES as readonly string[]).includes(row.severity) ? (row.severity as AlertSeverity) : 'warning',
    message: row.message,
    context: row.context,
    subject: row.subjectType && row.subjectId ? { type: row.subjectType, id: row.subjectId } : null,
    created_at: row.createdAt.toISOString(),
    dismissed_at: row.dismissedAt?.toISOString() ?? null,
    dismissed_by: row.dismissedBy,
  };
}

/**
 * CareOps ops alerts: the "a provider failure raises an alert" rule lands here, and so do items
 * low on stock (raised inside the stock change's own transaction, see {@link AlertService.insert}).
 */
export class AlertService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Records an alert; never throws (an alert must not fail the operation that raised it). */
  async raise(input: RaiseAlertInput): Promise<string | null> {
    try {
      return await this.insert(this.ctx.db.orm, input);
    } catch (error) {
      this.ctx.logger.error({ alert_type: input.type, err_message: (error as Error).message }, 'could not record ops alert');
      return null;
    }
  }

  /**
   * Records an alert on `on` (an open transaction, when the alert must commit or roll back with
   * the change that raised it) and returns its id. Throws what the database throws.
   */
  async insert(on: Executor, input: RaiseAlertInput): Promise<string> {
    const now = this.ctx.clock.now();
    const id = newId('alrt', now);
    await on.insert(alerts).values({
      id,
      type: input.type,
      severity: input.severity,
      message: input.message,
      context: input.context ?? {},
      subjectType: input.subject?.type ?? null,
      subjectId: input.subject?.id ?? null,
      createdAt: now,
    });
    return id;
  }

  /** Ends an alert whose condition is over (no one dismissed it: `dismissed_by` stays null). */
  async resolve(on: Executor, id: string): Promise<void> {
    await on.update(alerts).set({ dismissedAt: this.ctx.clock.now() }).where(and(eq(alerts.id, id), isNull(alerts.dismissedAt)));
  }

  /** Alerts, newest first, optionally of one type (at most `limit`, default 100). */
  async list(options: { type?: string; limit?: number } = {}): Promise<AlertRecord[]> {
    const query = this.ctx.db.orm.select().from(alerts);
    return (options.type ? query.where(eq(alerts.type, options.type)) : query).orderBy(desc(alerts.id)).limit(options.limit ?? 100);
  }

  /** One page of alerts, newest first, filtered. */
  async page(input: AlertPageInput): Promise<{ alerts: OpsAlert[]; nextCursor: string | null }> {
    const conditions: SQL[] = [];
    if (input.cursor) conditions.push(lt(alerts.id, decodeCursor(input.cursor, 'alrt')));
    if (input.type) conditions.push(eq(alerts.type, input.type));
    if (input.severity) conditions.push(eq(alerts.severity, input.severity));
    if (input.dismissed !== undefined) conditions.push(input.dismissed ? isNotNull(alerts.dismissedAt) : isNull(alerts.dismissedAt));
    const rows = await this.ctx.db.orm
      .select()
      .from(alerts)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(alerts.id))
      .limit(input.limit + 1);
    const { items, nextCursor } = page(rows, input.limit);
    return { alerts: items.map(alertDto), nextCursor };
  }

  /** Active (not dismissed) alerts, in all and by severity. */
  async countActive(): Promise<OpsAlertCount> {
    const rows = await this.ctx.db.orm.select({ severity: alerts.severity, n: count() }).from(alerts).where(isNull(alerts.dismissedAt)).groupBy(alerts.severity);
    const bySeverity = { critical: 0, warning: 0, info: 0 };
    for (const row of rows) if (row.severity in bySeverity) bySeverity[row.severity as AlertSeverity] = Number(row.n);
    return { active: bySeverity.critical + bySeverity.warning + bySeverity.info, by_severity: bySeverity };
  }

  /** One alert; 404 when there is none. */
  async get(id: string): Promise<OpsAlert> {
    const [row] = await this.ctx.db.orm.select().from(alerts).where(eq(alerts.id, id)).limit(1);
    if (!row) throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: `No alert ${id}` });
    return alertDto(row);
  }

  /**
   * Dismisses an alert for `staffId`. Idempotent: an alert already dismissed keeps its first
   * dismissal (who and when) and is returned as it is.
   */
  async dismiss(id: string, staffId: string): Promise<OpsAlert> {
    const [row] = await this.ctx.db.orm
      .update(alerts)
      .set({ dismissedAt: this.ctx.clock.now(), dismissedBy: staffId })
      .where(and(eq(alerts.id, id), isNull(alerts.dismissedAt)))
      .returning();
    return row ? alertDto(row) : this.get(id);
  }
}
