import { and, desc, eq, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { PartnerPayment, Payout, ProcessPaymentsResponse } from '@careos/contract';
import { partnerPayments, partners, payouts } from '../db/schema/index.js';
import { decodeCursor, page } from '../domain/cursor.js';
import { newId } from '../domain/ids.js';
import { toUsd } from '../domain/money.js';
import type { AlertService } from './alerts.js';
import type { ServiceContext } from './context.js';
import { paymentDto, payoutDto } from './dto.js';
import type { WebhookOutbox } from './webhooks/outbox.js';

/** Input of {@link PaymentService.processPayments}. */
export interface ProcessPaymentsInput {
  /** Pay what is due on or before this time (default now). */
  asOf?: Date;
  /** Only this platform. */
  partner?: string;
}

/** A payout still `processing` this long after it started is assumed abandoned by a crashed run. */
const STALE_PAYOUT_MS = 10 * 60 * 1000;

/**
 * Partner payments (seed "Payment Processing"): listing, and the monthly run that pays each
 * partner what is due. Payments are claimed by a payout in a transaction with row locks
 * (`FOR UPDATE SKIP LOCKED`), so concurrent runs never pay the same payment twice; the
 * provider call happens outside any transaction with the payout id as idempotency key.
 */
export class PaymentService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly alerts: AlertService,
    private readonly webhooks: WebhookOutbox,
  ) {}

  /** A partner's payments, newest first. */
  async listForPartner(
    partner: { partnerId: string; platform: string },
    input: { limit: number; cursor?: string; status?: PartnerPayment['status'] },
  ): Promise<{ payments: PartnerPayment[]; nextCursor: string | null }> {
    const conditions: SQL[] = [eq(partnerPayments.partnerId, partner.partnerId)];
    if (input.status) conditions.push(eq(partnerPayments.status, input.status));
    if (input.cursor) conditions.push(lt(partnerPayments.id, decodeCursor(input.cursor, 'pay')));
    const rows = await this.ctx.db.orm
      .select()
      .from(partnerPayments)
      .where(and(...conditions))
      .orderBy(desc(partnerPayments.id))
      .limit(input.limit + 1);
    const { items, nextCursor } = page(rows, input.limit);
    return { payments: items.map((row) => paymentDto(row, partner.platform)), nextCursor };
  }

  /** Payouts, newest first, optionally of one platform. */
  async listPayouts(input: { limit: number; cursor?: string; partner?: string }): Promise<{ payouts: Payout[]; nextCursor: string | null }> {
    const conditions: SQL[] = [];
    if (input.cursor) conditions.push(lt(payouts.id, decodeCursor(input.cursor, 'po')));
    if (input.partner) conditions.push(eq(partners.platform, input.partner.trim().toLowerCase()));
    const rows = await this.ctx.db.orm
      .select({ payout: payouts, platform: partners.platform })
      .from(payouts)
      .innerJoin(partners, eq(partners.id, payouts.partnerId))
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(payouts.id))
      .limit(input.limit + 1);
    const { items, nextCursor } = page(rows.map((r) => ({ id: r.payout.id, ...r })), input.limit);
    return { payouts: items.map((r) => payoutDto(r.payout, r.platform)), nextCursor };
  }

  /**
   * The monthly job: for each active partner, total the pending payments due by `asOf`; below
   * the partner's minimum the partner is skipped (`below_minimum`), otherwise one payout is
   * made through the payout provider. A provider failure releases the payments for the next
   * run, marks the payout failed, raises an ops alert and skips the partner (`provider_failed`).
   */
  async processPayments(input: ProcessPaymentsInput = {}): Promise<ProcessPaymentsResponse> {
    const asOf = input.asOf ?? this.ctx.clock.now();
    await this.#resumeStalePayouts();
    const query = this.ctx.db.orm.select().from(partners);
    const partnerRows = await (input.partner ? query.where(eq(partners.platform, input.partner.trim().toLowerCase())) : query).orderBy(partners.platform);
    const result: ProcessPaymentsResponse = { as_of: asOf.toISOString(), payouts: [], skipped: [] };
    for (const partner of partnerRows) {
      if (partner.status !== 'active') continue;
      const minimum = partner.minPayoutCents ?? this.ctx.config.minPayoutCents;
      const claim = await this.#claim(partner.id, asOf, minimum);
      if (claim.kind === 'none') continue;
      if (claim.kind === 'below_minimum') {
        result.skipped.push({
          partner: partner.platform,
          amount: toUsd(claim.totalCents),
          payments_count: claim.count,
          reason: 'below_minimum',
          message: `Total due ${toUsd(claim.totalCents).toFixed(2)} USD is below the minimum payout of ${toUsd(minimum).toFixed(2)} USD`,
        });
        continue;
      }
      const paid = await this.#pay(claim.payoutId, partner);
      if (paid.status === 'paid') result.payouts.push(payoutDto(paid, partner.platform));
      else {
        result.skipped.push({
          partner: partner.platform,
          amount: toUsd(claim.totalCents),
          payments_count: claim.count,
          reason: 'provider_failed',
          message: paid.error ?? 'Payout provider failed',
        });
      }
    }
    return result;
  }

  /** Claims the partner's due payments for a new payout, if they reach the minimum. */
  async #claim(
    partnerId: string,
    asOf: Date,
    minimumCents: number,
  ): Promise<{ kind: 'none' } | { kind: 'below_minimum'; totalCents: number; count: number } | { kind: 'claimed'; payoutId: string; totalCents: number; count: number }> {
    const now = this.ctx.clock.now();
    return this.ctx.db.orm.transaction(async (tx) => {
      const due = await tx
        .select({ id: partnerPayments.id, amountCents: partnerPayments.amountCents })
        .from(partnerPayments)
        .where(
          and(
            eq(partnerPayments.partnerId, partnerId),
            eq(partnerPayments.status, 'pending'),
            sql`${partnerPayments.payoutId} is null`,
            lte(partnerPayments.dueAt, asOf),
          ),
        )
        .for('update', { skipLocked: true });
      if (due.length === 0) return { kind: 'none' as const };
      const totalCents = due.reduce((sum, p) => sum + p.amountCents, 0);
      if (totalCents < minimumCents) return { kind: 'below_minimum' as const, totalCents, count: due.length };
      const payoutId = newId('po', now);
      await tx.insert(payouts).values({
        id: payoutId,
        partnerId,
        amountCents: totalCents,
        paymentsCount: due.length,
        provider: this.ctx.providers.payouts.name,
        status: 'processing',
        asOf,
        createdAt: now,
      });
      await tx
        .update(partnerPayments)
        .set({ payoutId })
        .where(inArray(partnerPayments.id, due.map((p) => p.id)));
      return { kind: 'claimed' as const, payoutId, totalCents, count: due.length };
    });
  }

  /** Calls the provider for a claimed payout and records the outcome. */
  async #pay(payoutId: string, partner: typeof partners.$inferSelect): Promise<typeof payouts.$inferSelect> {
    const [payout] = await this.ctx.db.orm.select().from(payouts).where(eq(payouts.id, payoutId));
    if (!payout) throw new Error(`payout ${payoutId} vanished`);
    const provider = this.ctx.providers.payouts;
    try {
      const { reference } = await provider.pay({
        payoutId,
        partner: { id: partner.id, platform: partner.platform, destination: partner.payoutDestination },
        amountCents: payout.amountCents,
        currency: 'usd',
      });
      const now = this.ctx.clock.now();
      return await this.ctx.db.orm.transaction(async (tx) => {
        const paid = await tx
          .update(partnerPayments)
          .set({ status: 'paid', paidAt: now })
          .where(eq(partnerPayments.payoutId, payoutId))
          .returning({ id: partnerPayments.id, leadId: partnerPayments.leadId });
        const [row] = await tx
          .update(payouts)
          .set({ status: 'paid', providerReference: reference, completedAt: now })
          .where(eq(payouts.id, payoutId))
          .returning();
        // In the same transaction: the partner hears of exactly the payouts that committed.
        paid.sort((a, b) => a.id.localeCompare(b.id));
        await this.webhooks.emit(tx, 'payment.paid', { kind: 'partner', partnerId: partner.id }, {
          payout_id: payoutId,
          partner: partner.platform,
          amount: toUsd(row!.amountCents),
          currency: 'USD',
          payment_ids: paid.map((p) => p.id),
          lead_ids: paid.map((p) => p.leadId),
          paid_at: now.toISOString(),
        });
        return row!;
      });
    } catch (error) {
      const message = error instanceof Error && error.name === 'ProviderError' ? error.message : `Payout provider error (${(error as Error)?.name ?? 'unknown'})`;
      const now = this.ctx.clock.now();
      const row = await this.ctx.db.orm.transaction(async (tx) => {
        await tx.update(partnerPayments).set({ payoutId: null }).where(and(eq(partnerPayments.payoutId, payoutId), eq(partnerPayments.status, 'pending')));
        const [updated] = await tx.update(payouts).set({ status: 'failed', error: message, completedAt: now }).where(eq(payouts.id, payoutId)).returning();
        return updated!;
      });
      this.ctx.logger.warn({ payout_id: payoutId, partner: partner.platform, provider: provider.name, err_message: message }, 'payout failed');
      await this.alerts.raise({
        type: 'payout_failed',
        severity: 'critical',
        message: `Payout ${payoutId} to ${partner.platform} failed through ${provider.name}`,
        context: { payout_id: payoutId, partner: partner.platform, provider: provider.name, amount_cents: payout.amountCents, error: message },
      });
      return row;
    }
  }

  /**
   * Finishes payouts a crashed run left `processing`. Providers are idempotent on the payout
   * id, so asking again either completes the transfer or returns the one already made.
   */
  async #resumeStalePayouts(): Promise<void> {
    const staleBefore = new Date(this.ctx.clock.now().getTime() - STALE_PAYOUT_MS);
    const stale = await this.ctx.db.orm
      .select({ id: payouts.id, partner: partners })
      .from(payouts)
      .innerJoin(partners, eq(partners.id, payouts.partnerId))
      .where(and(eq(payouts.status, 'processing'), lt(payouts.createdAt, staleBefore)));
    for (const row of stale) await this.#pay(row.id, row.partner);
  }
}
