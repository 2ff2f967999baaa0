import { z } from 'zod';
import { ListQuery, NextCursor, Timestamp, prefixedId } from '../common.js';

/** Seed payment statuses. */
export const PaymentStatus = z.enum(['pending', 'paid', 'disputed', 'cancelled']).meta({ id: 'PaymentStatus' });

/** What CareOS owes a partner for one lead (seed `PartnerPayment`). */
export const PartnerPayment = z
  .object({
    id: prefixedId('pay'),
    lead_id: prefixedId('lead'),
    partner: z.string().describe('Partner platform'),
    amount: z.number().describe('USD'),
    currency: z.literal('USD'),
    status: PaymentStatus,
    due_date: Timestamp.describe('30 days after the lead was created'),
    paid_at: Timestamp.nullable(),
    payout_id: prefixedId('po').nullable(),
    created_at: Timestamp,
  })
  .meta({ id: 'PartnerPayment' });

/** A parsed partner payment. */
export type PartnerPayment = z.infer<typeof PartnerPayment>;

/** Query of `GET /api/partner/payments`. */
export const PaymentListQuery = ListQuery.extend({
  status: PaymentStatus.optional().describe('Only payments in this status'),
});

/** A page of partner payments. */
export const PaymentList = z
  .object({ payments: z.array(PartnerPayment), next_cursor: NextCursor })
  .meta({ id: 'PaymentList' });

/** One transfer to a partner covering several payments. */
export const Payout = z
  .object({
    id: prefixedId('po'),
    partner: z.string(),
    amount: z.number().describe('USD'),
    currency: z.literal('USD'),
    payments_count: z.number().int(),
    provider: z.string().describe("'ledger' or 'stripe'"),
    provider_reference: z.string().nullable(),
    status: z.enum(['processing', 'paid', 'failed']).describe('processing while the transfer is in flight'),
    as_of: Timestamp,
    created_at: Timestamp,
  })
  .meta({ id: 'Payout' });

/** A parsed payout. */
export type Payout = z.infer<typeof Payout>;

/** Body of `POST /admin/payments/process` (the seed's monthly job, on demand). */
export const ProcessPaymentsRequest = z
  .object({
    as_of: Timestamp.optional().describe('Pay what is due on or before this time (default: now)'),
    partner: z.string().min(1).max(64).optional().describe('Only this partner platform'),
  })
  .meta({ id: 'ProcessPaymentsRequest' });

/** Why a partner got no payout in a run. */
export const PayoutSkip = z
  .object({
    partner: z.string(),
    amount: z.number(),
    payments_count: z.number().int(),
    reason: z.enum(['below_minimum', 'provider_failed']),
    message: z.string(),
  })
  .meta({ id: 'PayoutSkip' });

/** Result of a payment-processing run. */
export const ProcessPaymentsResponse = z
  .object({ as_of: Timestamp, payouts: z.array(Payout), skipped: z.array(PayoutSkip) })
  .meta({ id: 'ProcessPaymentsResponse' });

/** Parsed result of a payment-processing run. */
export type ProcessPaymentsResponse = z.infer<typeof ProcessPaymentsResponse>;

/** A page of payouts. */
export const PayoutList = z.object({ payouts: z.array(Payout), next_cursor: NextCursor }).meta({ id: 'PayoutList' });
