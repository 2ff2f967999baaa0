import { randomUUID } from 'node:crypto';
import { ErrorCode, ErrorText, type IntegrationWebhookEventType, type WebhookEventType } from '@careos/contract';
import { and, asc, eq, gte, inArray, sql } from 'drizzle-orm';
import { webhookDeliveries, webhookEndpoints } from '../../db/schema/index.js';
import { DomainError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { ServiceContext } from '../context.js';
import type { TherapistAlertService } from '../integration/alerts.js';
import type { PartnerService } from '../partners.js';
import type { WebhookEventData, WebhookOutbox } from './outbox.js';

/** Input of {@link WebhookSandbox.trigger}. */
export interface TriggerInput {
  event: WebhookEventType;
  /** Integration events: whose endpoints receive it. */
  therapistId?: string;
  /** Integration events: the client it is about. Alert events then raise a real alert; without it a sample is sent. */
  clientId?: string;
  /** `payment.paid`: the lead partner's platform. */
  partner?: string;
}

type AlertData = WebhookEventData<'alert.created'>;

/** The integration seed's own examples, one per alert event. */
function sampleAlert(event: Exclude<IntegrationWebhookEventType, 'consent.revoked'>, clientId: string, now: Date): AlertData {
  const common = { alertId: randomUUID(), clientId, createdAt: now.toISOString() };
  if (event === 'alert.critical') {
    return { ...common, alertType: 'CRISIS', severity: 'CRITICAL', message: 'Crisis pathway triggered — safety plan activation recommended', metadata: { sample: true } };
  }
  if (event === 'milestone.achieved') {
    return { ...common, alertType: 'MILESTONE', severity: 'LOW', message: 'Completed phase 1 of the course', metadata: { sample: true, phase: 1 } };
  }
  return {
    ...common,
    alertType: 'RISK',
    severity: 'HIGH',
    message: 'Mood has dropped 2+ SD below baseline for 5 consecutive days',
    metadata: { sample: true, moodBaseline: 7.2, currentMood: 3.1, daysBelow: 5 },
  };
}

/**
 * The sandbox's webhook trigger, so a receiver can be built and tested against a local server
 * without waiting for a real alert or payout. Given a client, an alert event raises a real
 * alert about that client (through the integration alert service: consent and permission rules
 * apply, and every event the alert causes is queued); otherwise a realistic sample goes through
 * the real outbox. Samples and sandbox alerts say so (`metadata.sample`); sample ids exist
 * nowhere else.
 */
export class WebhookSandbox {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly deps: { outbox: WebhookOutbox; partners: PartnerService; therapistAlerts: TherapistAlertService },
  ) {}

  /** Emits a sample of `input.event`; returns the deliveries queued (none when nobody subscribed). */
  async trigger(input: TriggerInput): Promise<string[]> {
    const now = this.ctx.clock.now();
    const { outbox } = this.deps;
    const db = this.ctx.db.orm;
    if (input.event === 'payment.paid') {
      const partner = input.partner ? await this.deps.partners.get(input.partner) : null;
      if (!partner) throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: `No lead partner ${input.partner ?? ''}` });
      return outbox.emitReturningIds(db, 'payment.paid', { kind: 'partner', partnerId: partner.id }, {
        payout_id: newId('po', now),
        partner: partner.platform,
        amount: 15,
        currency: 'USD',
        payment_ids: [newId('pay', now)],
        lead_ids: [newId('lead', now)],
        paid_at: now.toISOString(),
      });
    }
    if (!input.therapistId) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, ErrorText.invalidBody, { details: [{ path: 'therapist_id', message: `${input.event} needs therapist_id` }] });
    }
    const audience = { kind: 'therapist' as const, therapistId: input.therapistId };
    const clientId = input.clientId ?? randomUUID();
    if (input.event === 'consent.revoked') return outbox.emitReturningIds(db, 'consent.revoked', audience, { clientId, revokedAt: now.toISOString() });
    const sample = sampleAlert(input.event, clientId, now);
    if (!input.clientId) return outbox.emitReturningIds(db, input.event, audience, sample);
    const { alert } = await this.deps.therapistAlerts.create({
      therapistId: input.therapistId,
      clientId: input.clientId,
      alertType: sample.alertType,
      severity: sample.severity,
      message: sample.message,
      metadata: sample.metadata,
    });
    return this.#deliveriesOfAlert(input.therapistId, alert.id, now);
  }

  /** The deliveries an alert caused: its therapist's endpoints, queued since `since`, naming the alert. */
  async #deliveriesOfAlert(therapistId: string, alertId: string, since: Date): Promise<string[]> {
    const rows = await this.ctx.db.orm
      .select({ id: webhookDeliveries.id, bodyEnc: webhookDeliveries.bodyEnc })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(
        and(
          eq(webhookEndpoints.therapistId, therapistId),
          gte(webhookDeliveries.createdAt, since),
          inArray(webhookDeliveries.eventType, ['alert.created', 'alert.critical', 'milestone.achieved']),
        ),
      )
      .orderBy(asc(webhookDeliveries.id));
    // Bodies are sealed: the few candidates are opened here to find the ones naming the alert.
    const { cipher } = this.ctx.phi;
    return rows.filter((row) => (cipher.openJson<{ alertId?: string }>(webhookDeliveries.bodyEnc, row.bodyEnc!).alertId ?? null) === alertId).map((row) => row.id);
  }
}
