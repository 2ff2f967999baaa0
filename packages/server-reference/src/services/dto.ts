import { CARE_CATEGORIES, type CareCategory, type Lead, type PartnerPayment, type Payout } from '@careos/contract';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { LeadContent } from './lead-write.js';
import { leads, type partnerPayments, type payouts } from '../db/schema/index.js';
import { toUsd } from '../domain/money.js';

type LeadRow = typeof leads.$inferSelect;
type PaymentRow = typeof partnerPayments.$inferSelect;
type PayoutRow = typeof payouts.$inferSelect;

const PAYMENT_STATUSES = ['pending', 'paid', 'disputed', 'cancelled'] as const;

/** A stored payment as the API shows it. */
export function paymentDto(row: PaymentRow, platform: string): PartnerPayment {
  return {
    id: row.id,
    lead_id: row.leadId,
    partner: platform,
    amount: toUsd(row.amountCents),
    currency: 'USD',
    status: (PAYMENT_STATUSES as readonly string[]).includes(row.status) ? (row.status as PartnerPayment['status']) : 'pending',
    due_date: row.dueAt.toISOString(),
    paid_at: row.paidAt?.toISOString() ?? null,
    payout_id: row.payoutId,
    created_at: row.createdAt.toISOString(),
  };
}

/** A stored lead (and its payment) as the API shows it, its PHI decrypted. */
export function leadDto(row: LeadRow, payment: PaymentRow | null, cipher: FieldCipher): Lead {
  const content = cipher.openJson<LeadContent>(leads.contentEnc, row.contentEnc!);
  return {
    id: row.id,
    status: (['new', 'contacted', 'converted', 'closed'] as const).find((s) => s === row.status) ?? 'new',
    source_platform: row.sourcePlatform,
    source_conversation_id: row.sourceConversationId,
    careos_user_id: row.userId,
    is_new_user: row.isNewUser,
    user_name: content.user_name,
    user_language: row.userLanguage,
    user_location_state: row.locationState,
    user_location_country: row.locationCountry,
    user_location_city: row.locationCity,
    category: (CARE_CATEGORIES as readonly string[]).includes(row.category) ? (row.category as CareCategory) : 'general_healthcare',
    category_raw: row.categoryRaw,
    subcategory: row.subcategory,
    original_message: content.original_message,
    ai_extracted_details: content.ai_extracted_details,
    consent_timestamp: row.consentTimestamp.toISOString(),
    lead_value_agreed: toUsd(row.valueCents),
    payment: payment ? paymentDto(payment, row.sourcePlatform) : null,
    created_at: row.createdAt.toISOString(),
  };
}

/** A stored payout as the API shows it. */
export function payoutDto(row: PayoutRow, platform: string): Payout {
  return {
    id: row.id,
    partner: platform,
    amount: toUsd(row.amountCents),
    currency: 'USD',
    payments_count: row.paymentsCount,
    provider: row.provider,
    provider_reference: row.providerReference,
    status: row.status === 'paid' ? 'paid' : row.status === 'failed' ? 'failed' : 'processing',
    as_of: row.asOf.toISOString(),
    created_at: row.createdAt.toISOString(),
  };
}
