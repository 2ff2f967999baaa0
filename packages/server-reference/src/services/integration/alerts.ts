import { ErrorCode, ErrorText, type TherapistAlert, type TherapistAlertList, type TherapistAlertSeverity, type TherapistAlertType } from '@careos/contract';
import { and, desc, eq, gt, inArray, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { FieldCipher } from '../../crypto/field-cipher.js';
import type { Executor } from '../../db/database.js';
import { clientLinks, clients, therapistAlerts } from '../../db/schema/index.js';
import { decodeCursor, page } from '../../domain/cursor.js';
import { DomainError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { ServiceContext } from '../context.js';
import type { WebhookOutbox } from '../webhooks/outbox.js';
import { consentInForce, toPermissionLevel } from './consent.js';

/** Filters of the alert list. */
export interface AlertListOptions {
  type?: TherapistAlertType;
  unreadOnly?: boolean;
  since?: string;
  limit: number;
  cursor?: string;
}

/** Input of {@link TherapistAlertService.create}. */
export interface CreateAlertInput {
  therapistId: string;
  clientId: string;
  alertType: TherapistAlertType;
  severity: TherapistAlertSeverity;
  message: string;
  metadata: Record<string, unknown>;
}

/**
 * Which alerts a therapist may see: those of clients whose consent is in force, except CRISIS
 * alerts of clients at BASIC permission (crisis alerts are STANDARD data, seed §6).
 */
const visible = and(consentInForce, or(ne(therapistAlerts.alertType, 'CRISIS'), ne(clientLinks.permissionLevel, 'BASIC')));
const linkJoin = and(eq(clientLinks.therapistId, therapistAlerts.therapistId), eq(clientLinks.clientId, therapistAlerts.clientId));

/** The client's sealed name, selected beside an alert. */
const clientName = { firstNameEnc: clients.firstNameEnc, lastNameEnc: clients.lastNameEnc };

function toAlert(row: { alert: typeof therapistAlerts.$inferSelect; firstNameEnc: string | null; lastNameEnc: string | null }, cipher: FieldCipher): TherapistAlert {
  const a = row.alert;
  return {
    id: a.id,
    clientId: a.clientId,
    client: { id: a.clientId, firstName: cipher.open(clients.firstNameEnc, row.firstNameEnc!), lastName: cipher.open(clients.lastNameEnc, row.lastNameEnc!) },
    alertType: a.alertType as TherapistAlertType,
    severity: a.severity as TherapistAlertSeverity,
    message: cipher.open(therapistAlerts.messageEnc, a.messageEnc!),
    metadata: a.metadata,
    readAt: a.readAt?.toISOString() ?? null,
    createdAt: a.createdAt.toISOString(),
  };
}

/** Alerts about clients, for their therapists; creating one queues its webhook events. */
export class TherapistAlertService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly outbox: WebhookOutbox,
  ) {}

  /** A page of the therapist's visible alerts, newest first, with totals over all pages. */
  async list(therapistId: string, options: AlertListOptions): Promise<TherapistAlertList> {
    const filters: (SQL | undefined)[] = [eq(therapistAlerts.therapistId, therapistId), visible];
    if (options.type) filters.push(eq(therapistAlerts.alertType, options.type));
    if (options.unreadOnly) filters.push(isNull(therapistAlerts.readAt));
    if (options.since) filters.push(gt(therapistAlerts.createdAt, new Date(options.since)));
    const where = and(...filters);
    const after = options.cursor ? lt(therapistAlerts.id, decodeCursor(options.cursor, 'talrt')) : undefined;
    const rows = await this.ctx.db.orm
      .select({ alert: therapistAlerts, ...clientName })
      .from(therapistAlerts)
      .innerJoin(clientLinks, linkJoin)
      .innerJoin(clients, eq(clients.id, therapistAlerts.clientId))
      .where(and(where, after))
      .orderBy(desc(therapistAlerts.id))
      .limit(options.limit + 1);
    const [totals] = await this.ctx.db.orm
      .select({ total: sql<number>`count(*)::int`, unread: sql<number>`(count(*) filter (where ${therapistAlerts.readAt} is null))::int` })
      .from(therapistAlerts)
      .innerJoin(clientLinks, linkJoin)
      .where(where);
    const paged = page(rows.map((r) => ({ ...r, id: r.alert.id })), options.limit);
    return { alerts: paged.items.map((row) => toAlert(row, this.ctx.phi.cipher)), unreadCount: Number(totals?.unread ?? 0), total: Number(totals?.total ?? 0), next_cursor: paged.nextCursor };
  }

  /** Per client: unread, CRISIS and MILESTONE counts among the therapist's visible alerts. */
  async countsByClient(therapistId: string, clientIds: readonly string[]): Promise<Map<string, { unread: number; crisis: number; milestones: number }>> {
    if (clientIds.length === 0) return new Map();
    const rows = await this.ctx.db.orm
      .select({
        clientId: therapistAlerts.clientId,
        unread: sql<number>`(count(*) filter (where ${therapistAlerts.readAt} is null))::int`,
        crisis: sql<number>`(count(*) filter (where ${therapistAlerts.alertType} = 'CRISIS'))::int`,
        milestones: sql<number>`(count(*) filter (where ${therapistAlerts.alertType} = 'MILESTONE'))::int`,
      })
      .from(therapistAlerts)
      .innerJoin(clientLinks, linkJoin)
      .where(and(eq(therapistAlerts.therapistId, therapistId), inArray(therapistAlerts.clientId, [...clientIds]), visible))
      .groupBy(therapistAlerts.clientId);
    return new Map(rows.map((r) => [r.clientId, { unread: Number(r.unread), crisis: Number(r.crisis), milestones: Number(r.milestones) }]));
  }

  /** A client's CRISIS alerts for this therapist created after `since` (the caller checked consent and level). */
  async crisisSince(therapistId: string, clientId: string, since: Date): Promise<{ id: string; severity: string; message: string; createdAt: Date }[]> {
    const rows = await this.ctx.db.orm
      .select({ id: therapistAlerts.id, severity: therapistAlerts.severity, messageEnc: therapistAlerts.messageEnc, createdAt: therapistAlerts.createdAt })
      .from(therapistAlerts)
      .where(and(eq(therapistAlerts.therapistId, therapistId), eq(therapistAlerts.clientId, clientId), eq(therapistAlerts.alertType, 'CRISIS'), gt(therapistAlerts.createdAt, since)))
      .orderBy(therapistAlerts.id);
    return rows.map(({ messageEnc, ...row }) => ({ ...row, message: this.ctx.phi.cipher.open(therapistAlerts.messageEnc, messageEnc!) }));
  }

  /**
   * Records an alert and, if the therapist may see it, queues `alert.created`, plus
   * `alert.critical` for CRITICAL severity and `milestone.achieved` for MILESTONE — in the same
   * transaction, so events exist exactly for alerts that committed. The link may be revoked (the
   * alert is kept, but nothing is sent while consent is withdrawn).
   */
  async create(input: CreateAlertInput, createdAt: Date = this.ctx.clock.now()): Promise<{ alert: TherapistAlert; webhooksQueued: number }> {
    return this.ctx.db.orm.transaction(async (tx) => {
      const [link] = await tx
        .select({ link: clientLinks, ...clientName })
        .from(clientLinks)
        .innerJoin(clients, eq(clients.id, clientLinks.clientId))
        .where(and(eq(clientLinks.therapistId, input.therapistId), eq(clientLinks.clientId, input.clientId)));
      if (!link) throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: 'This client is not linked to this therapist' });
      const [row] = await tx
        .insert(therapistAlerts)
        .values({
          id: newId('talrt', createdAt),
          therapistId: input.therapistId,
          clientId: input.clientId,
          alertType: input.alertType,
          severity: input.severity,
          messageEnc: this.ctx.phi.cipher.seal(therapistAlerts.messageEnc, input.message),
          metadata: input.metadata,
          createdAt,
        })
        .returning();
      const alert = toAlert({ alert: row!, ...link }, this.ctx.phi.cipher);
      const inForce = link.link.consentGrantedAt !== null && link.link.consentRevokedAt === null;
      const shown = inForce && !(input.alertType === 'CRISIS' && toPermissionLevel(link.link.permissionLevel) === 'BASIC');
      const webhooksQueued = shown ? await this.#emit(tx, input.therapistId, alert) : 0;
      return { alert, webhooksQueued };
    });
  }

  async #emit(tx: Executor, therapistId: string, alert: TherapistAlert): Promise<number> {
    const audience = { kind: 'therapist' as const, therapistId };
    const data = {
      alertId: alert.id,
      clientId: alert.clientId,
      alertType: alert.alertType,
      severity: alert.severity,
      message: alert.message,
      metadata: alert.metadata,
      createdAt: alert.createdAt,
    };
    let queued = await this.outbox.emit(tx, 'alert.created', audience, data);
    if (alert.severity === 'CRITICAL') queued += await this.outbox.emit(tx, 'alert.critical', audience, data);
    if (alert.alertType === 'MILESTONE') queued += await this.outbox.emit(tx, 'milestone.achieved', audience, data);
    return queued;
  }
}
