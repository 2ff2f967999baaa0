import { z } from 'zod';
import { IdParam, ListQuery } from '../common.js';
import { ErrorText } from '../errors.js';
import { InboundLead, IngestLeadResponse, Lead, LeadList } from '../schemas/leads.js';
import { PaymentList, PaymentListQuery } from '../schemas/payments.js';
import { defineRoute } from '../route.js';
import { partnerAuthErrors, listErrors } from './shared.js';

/** Partner lead ingestion and the partner’s own leads and payments. */
export const leadRoutes = {
  ingestLead: defineRoute({
    id: 'ingestLead',
    method: 'POST',
    path: '/api/leads/ingest',
    summary: 'Receive a healthcare lead from a partner',
    description:
      'Decrypts and verifies the phone, finds or creates the user, stores the lead with partner attribution, ' +
      'creates a pending partner payment due in 30 days and sends a welcome SMS. Idempotent on ' +
      '(platform, source_conversation_id): a replay returns the original ids and creates nothing.',
    tags: ['Leads'],
    auth: 'partnerKey',
    rateLimit: 'leads',
    audit: true,
    headers: z.object({
      'x-careos-key-id': z
        .string()
        .regex(/^[0-9a-f]{16}$/, 'Must be 16 lower-case hex characters')
        .optional()
        .describe('Id of the public key the phone was encrypted with (from GET /api/keys/public)'),
    }),
    body: InboundLead,
    // Re-encrypting gives a new ciphertext each time; user_phone_hash still pins the phone.
    fingerprintExcludes: ['user_phone_encrypted'],
    status: 200,
    response: IngestLeadResponse,
    errors: {
      400: [
        'Missing required fields: user_phone_encrypted or original_message',
        ErrorText.consentRequired,
        ErrorText.decryptionFailed,
        ErrorText.phoneHashMismatch,
        ErrorText.invalidBody,
        ErrorText.malformedJson,
      ],
      ...partnerAuthErrors,
      409: [ErrorText.idempotencyInProgress],
      413: [ErrorText.payloadTooLarge],
      415: [ErrorText.unsupportedMediaType],
      422: [ErrorText.idempotencyConflict],
    },
  }),

  retrieveLead: defineRoute({
    id: 'retrieveLead',
    method: 'GET',
    path: '/api/leads/{leadId}',
    summary: 'A lead this partner sent, with its payment',
    tags: ['Leads'],
    auth: 'partnerKey',
    rateLimit: 'leads',
    audit: true,
    params: z.object({ leadId: IdParam }),
    status: 200,
    response: Lead,
    errors: { ...partnerAuthErrors, 404: [ErrorText.notFound] },
  }),

  listPartnerLeads: defineRoute({
    id: 'listPartnerLeads',
    method: 'GET',
    path: '/api/leads',
    summary: 'The leads this partner sent, newest first, with their payments',
    tags: ['Leads'],
    auth: 'partnerKey',
    rateLimit: 'leads',
    audit: true,
    query: ListQuery,
    status: 200,
    response: LeadList,
    errors: { ...listErrors, ...partnerAuthErrors },
  }),

  listPartnerPayments: defineRoute({
    id: 'listPartnerPayments',
    method: 'GET',
    path: '/api/partner/payments',
    summary: "This partner's payments, newest first",
    tags: ['Payments'],
    auth: 'partnerKey',
    rateLimit: 'leads',
    audit: true,
    query: PaymentListQuery,
    status: 200,
    response: PaymentList,
    errors: { ...listErrors, ...partnerAuthErrors },
  }),
} as const;
