import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';
import { partners } from './partners.js';

/** Transfers to partners, each covering several payments. */
export const payouts = pgTable(
  'payouts',
  {
    id: text('id').primaryKey(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull().default('USD'),
    paymentsCount: integer('payments_count').notNull(),
    provider: text('provider').notNull(),
    providerReference: text('provider_reference'),
    /** `processing` while the provider call is in flight, then `paid` or `failed`. */
    status: text('status').notNull(),
    error: text('error'),
    asOf: ts('as_of').notNull(),
    createdAt: ts('created_at').notNull(),
    completedAt: ts('completed_at'),
  },
  (t) => [index('payouts_partner_id_idx').on(t.partnerId, t.id), index('payouts_status_idx').on(t.status)],
);

/** What CareOS owes a partner for one lead (the seed's `PartnerPayment`); no foreign keys, see `leads`. */
export const partnerPayments = pgTable(
  'partner_payments',
  {
    id: text('id').primaryKey(),
    leadId: text('lead_id').notNull(),
    partnerId: text('partner_id').notNull(),
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull().default('USD'),
    status: text('status').notNull().default('pending'),
    dueAt: ts('due_at').notNull(),
    paidAt: ts('paid_at'),
    /** Set while a payout claims the payment, kept once paid. */
    payoutId: text('payout_id'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('partner_payments_lead_key').on(t.leadId),
    index('partner_payments_partner_id_idx').on(t.partnerId, t.id),
    index('partner_payments_due_idx').on(t.partnerId, t.status, t.dueAt),
    index('partner_payments_payout_idx').on(t.payoutId).where(sql`${t.payoutId} is not null`),
  ],
);
