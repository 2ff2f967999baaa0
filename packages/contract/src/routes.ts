import { z } from 'zod';
import { IdParam, ListQuery } from './common.js';
import { ErrorText } from './errors.js';
import { LoginRequest, LoginResponse } from './schemas/auth.js';
import { HealthResponse } from './schemas/health.js';
import { PublicKeyResponse } from './schemas/keys.js';
import { InboundLead, IngestLeadResponse, Lead, LeadList } from './schemas/leads.js';
import { MessageList, MessageListQuery } from './schemas/messages.js';
import {
  CreateApiKeyRequest,
  CreateApiKeyResponse,
  CreatePartnerRequest,
  CreatePartnerResponse,
  PartnerList,
  PlatformName,
} from './schemas/partners.js';
import { PaymentList, PaymentListQuery, PayoutList, ProcessPaymentsRequest, ProcessPaymentsResponse } from './schemas/payments.js';
import { defineRoute } from './route.js';

const partnerAuthErrors = { 401: [ErrorText.invalidApiKey], 429: [ErrorText.rateLimited] } as const;
const adminErrors = { 401: [ErrorText.notAuthenticated, ErrorText.tokenExpired], 403: [ErrorText.forbidden] } as const;
const listErrors = { 400: [ErrorText.invalidQuery] } as const;

/** Every endpoint of the API, keyed by route id. */
export const routes = {
  health: defineRoute({
    id: 'health',
    method: 'GET',
    path: '/health',
    summary: 'Service and database health',
    tags: ['Meta'],
    auth: 'none',
    status: 200,
    response: HealthResponse,
    errors: { 503: [] },
  }),

  retrievePublicKey: defineRoute({
    id: 'retrievePublicKey',
    method: 'GET',
    path: '/api/keys/public',
    summary: 'Current phone-encryption public key and its key id',
    tags: ['Leads'],
    auth: 'none',
    status: 200,
    response: PublicKeyResponse,
    errors: { 503: [] },
  }),

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

  login: defineRoute({
    id: 'login',
    method: 'POST',
    path: '/auth/login',
    summary: 'Log in a staff or admin account and get a bearer token',
    tags: ['Auth'],
    auth: 'none',
    body: LoginRequest,
    status: 200,
    response: LoginResponse,
    errors: { 400: [ErrorText.invalidBody], 401: [ErrorText.invalidCredentials] },
  }),

  listPartners: defineRoute({
    id: 'listPartners',
    method: 'GET',
    path: '/admin/partners',
    summary: 'All lead partners and their key metadata',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    status: 200,
    response: PartnerList,
    errors: adminErrors,
  }),

  createPartner: defineRoute({
    id: 'createPartner',
    method: 'POST',
    path: '/admin/partners',
    summary: 'Create a lead partner with its first API key and phone-hash salt',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    body: CreatePartnerRequest,
    status: 201,
    response: CreatePartnerResponse,
    errors: { 400: [ErrorText.invalidBody], ...adminErrors, 409: [ErrorText.partnerExists] },
  }),

  createPartnerKey: defineRoute({
    id: 'createPartnerKey',
    method: 'POST',
    path: '/admin/partners/{platform}/keys',
    summary: 'Issue a new API key for a partner (key rotation)',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    params: z.object({ platform: PlatformName }),
    body: CreateApiKeyRequest,
    status: 201,
    response: CreateApiKeyResponse,
    errors: { 400: [ErrorText.invalidBody], ...adminErrors, 404: [ErrorText.notFound] },
  }),

  listLeads: defineRoute({
    id: 'listLeads',
    method: 'GET',
    path: '/admin/leads',
    summary: 'All leads, newest first',
    tags: ['Admin'],
    auth: 'staffJwt',
    query: ListQuery.extend({ partner: z.string().max(64).optional() }),
    status: 200,
    response: LeadList,
    errors: { ...listErrors, ...adminErrors },
  }),

  listMessages: defineRoute({
    id: 'listMessages',
    method: 'GET',
    path: '/admin/messages',
    summary: 'Outbound SMS and email, newest first',
    tags: ['Admin'],
    auth: 'staffJwt',
    query: MessageListQuery,
    status: 200,
    response: MessageList,
    errors: { ...listErrors, ...adminErrors },
  }),

  processPayments: defineRoute({
    id: 'processPayments',
    method: 'POST',
    path: '/admin/payments/process',
    summary: 'Pay partners what is due (the monthly job, on demand)',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    body: ProcessPaymentsRequest,
    status: 200,
    response: ProcessPaymentsResponse,
    errors: { 400: [ErrorText.invalidBody], ...adminErrors },
  }),

  listPayouts: defineRoute({
    id: 'listPayouts',
    method: 'GET',
    path: '/admin/payouts',
    summary: 'Payouts made to partners, newest first',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    query: ListQuery.extend({ partner: z.string().max(64).optional() }),
    status: 200,
    response: PayoutList,
    errors: { ...listErrors, ...adminErrors },
  }),
} as const;

/** The route table type. */
export type Routes = typeof routes;
/** A route id. */
export type RouteId = keyof Routes;
/** All routes as a list, in table order. */
export const routeList = Object.values(routes);
