import { z } from 'zod';
import { IdParam, ListQuery } from './common.js';
import { ErrorText, missingFieldsMessage } from './errors.js';
import { AuditLogList, AuditLogQuery, AuditVerifyResponse } from './schemas/audit.js';
import { LoginRequest, LoginResponse } from './schemas/auth.js';
import { HealthResponse, ReadinessResponse } from './schemas/health.js';
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
import {
  CreatePartnerWebhookRequest,
  CreatePartnerWebhookResponse,
  DeleteWebhookResponse,
  RegisterWebhookRequest,
  RegisterWebhookResponse,
  TriggerWebhookRequest,
  TriggerWebhookResponse,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookDeliveryList,
  WebhookDeliveryListQuery,
  WebhookEndpointList,
  WebhookEndpointListQuery,
} from './schemas/webhooks.js';
import {
  AssignActivityRequest,
  AssignActivityResponse,
  ClientLinkResponse,
  ClientProgress,
  ClientRecordResponse,
  CoupleDynamics,
  CoupleRecordResponse,
  CreateClientLinkRequest,
  CreateClientRequest,
  CreateCoupleRequest,
  CreateIntegrationKeyRequest,
  CreateIntegrationKeyResponse,
  CreateIntegrationPartnerRequest,
  CreateIntegrationPartnerResponse,
  CreateTherapistAlertRequest,
  CreateTherapistAlertResponse,
  CreateTherapistRequest,
  IntegrationAuthRequest,
  IntegrationAuthResponse,
  IntegrationClientList,
  IntegrationPartnerList,
  IntegrationPartnerResponse,
  OutcomesResponse,
  SessionPrepQuery,
  SessionPrepResponse,
  TherapistAlertList,
  TherapistAlertListQuery,
  TherapistResponse,
  UpdateClientLinkRequest,
  UpdateIntegrationPartnerRequest,
  UpdateTherapistRequest,
} from './schemas/integration/index.js';
import {
  CreateLookupCaseRequest,
  CreateLookupKeyRequest,
  CreateLookupKeyResponse,
  LookupCaseRecord,
  LookupFound,
  LookupKeyList,
  LookupKeyResponse,
  LookupNotFound,
  LookupQuery,
  LookupRequest,
} from './schemas/lookup.js';
import { defineRoute } from './route.js';

const partnerAuthErrors = { 401: [ErrorText.invalidApiKey], 429: [ErrorText.rateLimited] } as const;
const adminErrors = { 401: [ErrorText.notAuthenticated, ErrorText.tokenExpired], 403: [ErrorText.forbidden] } as const;
const listErrors = { 400: [ErrorText.invalidQuery] } as const;
/** Every integration-token route can fail these ways (seed §1, §4, §7). */
const integrationErrors = {
  401: [ErrorText.invalidIntegrationToken, ErrorText.tokenExpired, ErrorText.integrationAccessRevoked, ErrorText.therapistNotFound],
  403: [ErrorText.ipNotAllowed],
  429: [ErrorText.rateLimited],
} as const;
/** Routes about one client add the consent check; an unknown or unlinked client is the same 403. */
const clientErrors = { ...integrationErrors, 400: [ErrorText.invalidParams], 403: [ErrorText.ipNotAllowed, ErrorText.noConsent] } as const;
const integrationTag = ['Integration'] as const;
const adminWriteErrors = { 400: [ErrorText.invalidBody, ErrorText.malformedJson], ...adminErrors } as const;
const lookupTag = ['Lookup'] as const;
/** The lookup seed's 404: "no case" is an answer, not an error. */
const lookupNotFound = {
  404: { description: 'No case for this number (a normal outcome: show a new-lead form)', response: LookupNotFound },
} as const;
const lookupDescription =
  'Searches the primary, home and cell phone of every patient and returns the most recent case. Any common phone shape ' +
  'finds the same case (E.164, spaced, 00 prefix, national format in the server’s default country). Authenticate with ' +
  '`x-api-key: <key>` or `Authorization: Bearer <key>`. A 404 `{ found: false }` is a normal outcome, not an error.';

/** Every endpoint of the API, keyed by route id. */
export const routes = {
  health: defineRoute({
    id: 'health',
    method: 'GET',
    path: '/health',
    summary: 'Service and database health',
    tags: ['Meta'],
    auth: 'none',
    // Probed every few seconds by load balancers; it touches no record and no credential.
    audit: false,
    status: 200,
    response: HealthResponse,
    errors: { 503: [] },
  }),

  readiness: defineRoute({
    id: 'readiness',
    method: 'GET',
    path: '/health/ready',
    summary: 'Whether this instance can serve, and which store counts rate limits',
    description:
      'For load balancers and orchestrators: 200 once start-up is done and the database answers, else 503. ' +
      '`rate_limits.store` is `redis` normally, `database` while Redis is unreachable (the instances share the ' +
      'database, so limits stay exact), `memory` without Redis.',
    tags: ['Meta'],
    auth: 'none',
    status: 200,
    response: ReadinessResponse,
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

  login: defineRoute({
    id: 'login',
    method: 'POST',
    path: '/auth/login',
    summary: 'Log in a staff or admin account and get a bearer token',
    description:
      'Attempts are limited per account and client address and per address (see the server README); while a limit ' +
      'holds every attempt, with the right password too, gets 429 `RATE_LIMITED` with `Retry-After`. A success ' +
      "clears the account's failure count.",
    tags: ['Auth'],
    auth: 'none',
    body: LoginRequest,
    status: 200,
    response: LoginResponse,
    errors: { 400: [ErrorText.invalidBody], 401: [ErrorText.invalidCredentials], 429: [ErrorText.rateLimited] },
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

  createIntegrationToken: defineRoute({
    id: 'createIntegrationToken',
    method: 'POST',
    path: '/api/integration/auth',
    summary: 'Exchange an integration API key and secret for a one-hour therapist token',
    description:
      'OAuth2 client-credentials style (seed §1): apiKey + apiSecret + therapistId give a Bearer JWT valid for 3600 s. ' +
      "When a call answers 401 TOKEN_EXPIRED, authenticate again. Counted against the API key's rate limit; " +
      'consecutive wrong secrets for one key are limited too (429 `RATE_LIMITED` with `Retry-After`, whatever the secret).',
    tags: integrationTag,
    auth: 'none',
    rateLimit: 'integration',
    audit: true,
    body: IntegrationAuthRequest,
    status: 200,
    response: IntegrationAuthResponse,
    errors: {
      400: [ErrorText.integrationCredentialsRequired, 'Missing required fields: therapistId', ErrorText.invalidBody, ErrorText.malformedJson],
      401: [ErrorText.invalidApiKey, ErrorText.invalidApiSecret],
      403: [ErrorText.ipNotAllowed],
      404: [ErrorText.therapistNotFound],
      409: [ErrorText.idempotencyInProgress],
      413: [ErrorText.payloadTooLarge],
      415: [ErrorText.unsupportedMediaType],
      422: [ErrorText.idempotencyConflict],
      429: [ErrorText.rateLimited],
    },
  }),

  listIntegrationClients: defineRoute({
    id: 'listIntegrationClients',
    method: 'GET',
    path: '/api/integration/clients',
    summary: "The therapist's consented clients, with couple, latest activity and unread alerts",
    description: 'Only clients whose consent to this therapist is in force. `latestMood` is absent at BASIC permission.',
    tags: integrationTag,
    auth: 'integrationJwt',
    rateLimit: 'integration',
    audit: true,
    status: 200,
    response: IntegrationClientList,
    errors: integrationErrors,
  }),

  retrieveClientProgress: defineRoute({
    id: 'retrieveClientProgress',
    method: 'GET',
    path: '/api/integration/clients/{clientId}/progress',
    summary: 'Assessment scores, activity completion and course progress, filtered by permission level',
    description:
      'BASIC: assessmentScores, activityCompletion, courseProgress. STANDARD: + moodTrends, ratioTrends. ' +
      'FULL: + individualResponses, journalEntries (never therapist-hidden entries).',
    tags: integrationTag,
    auth: 'integrationJwt',
    rateLimit: 'integration',
    audit: true,
    params: z.object({ clientId: IdParam }),
    status: 200,
    response: ClientProgress,
    errors: clientErrors,
  }),

  retrieveSessionPrep: defineRoute({
    id: 'retrieveSessionPrep',
    method: 'GET',
    path: '/api/integration/clients/{clientId}/session-prep',
    summary: 'A session-preparation report since the last session (STANDARD or FULL permission)',
    description: 'Generated from the data at call time and stored under its id. `lastSessionDate` defaults to 7 days ago.',
    tags: integrationTag,
    auth: 'integrationJwt',
    rateLimit: 'integration',
    audit: true,
    params: z.object({ clientId: IdParam }),
    query: SessionPrepQuery,
    status: 200,
    response: SessionPrepResponse,
    errors: {
      ...clientErrors,
      400: [ErrorText.invalidParams, ErrorText.invalidQuery],
      403: [ErrorText.ipNotAllowed, ErrorText.noConsent, ErrorText.insufficientPermission],
    },
  }),

  retrieveCoupleDynamics: defineRoute({
    id: 'retrieveCoupleDynamics',
    method: 'GET',
    path: '/api/integration/couples/{coupleId}/dynamics',
    summary: 'Side-by-side partner comparison, matchups and couple profile',
    description:
      "A partner's side is shown only if that partner consented to this therapist (else null, named in `withheld`); " +
      'matchups and the couple profile only when both did. A couple with no partner consented to this therapist is 403 NO_CONSENT.',
    tags: integrationTag,
    auth: 'integrationJwt',
    rateLimit: 'integration',
    audit: true,
    params: z.object({ coupleId: IdParam }),
    status: 200,
    response: CoupleDynamics,
    errors: clientErrors,
  }),

  listTherapistAlerts: defineRoute({
    id: 'listTherapistAlerts',
    method: 'GET',
    path: '/api/integration/alerts',
    summary: "Alerts about the therapist's consented clients, newest first",
    description: 'CRISIS alerts of clients at BASIC permission are not shown (crisis alerts need STANDARD, seed §6).',
    tags: integrationTag,
    auth: 'integrationJwt',
    rateLimit: 'integration',
    audit: true,
    query: TherapistAlertListQuery,
    status: 200,
    response: TherapistAlertList,
    errors: { ...integrationErrors, ...listErrors },
  }),

  assignClientActivity: defineRoute({
    id: 'assignClientActivity',
    method: 'POST',
    path: '/api/integration/clients/{clientId}/assign',
    summary: 'Assign modules or activities to a consented client',
    description: 'Allowed at every permission level: assigning reveals nothing about the client.',
    tags: integrationTag,
    auth: 'integrationJwt',
    rateLimit: 'integration',
    audit: true,
    params: z.object({ clientId: IdParam }),
    body: AssignActivityRequest,
    status: 201,
    response: AssignActivityResponse,
    errors: {
      ...clientErrors,
      400: [ErrorText.invalidParams, 'Missing required fields: taskDescription', ErrorText.invalidBody, ErrorText.malformedJson],
      409: [ErrorText.idempotencyInProgress],
      413: [ErrorText.payloadTooLarge],
      415: [ErrorText.unsupportedMediaType],
      422: [ErrorText.idempotencyConflict],
    },
  }),

  retrieveOutcomes: defineRoute({
    id: 'retrieveOutcomes',
    method: 'GET',
    path: '/api/integration/outcomes',
    summary: 'Caseload-wide outcomes across all consented clients',
    tags: integrationTag,
    auth: 'integrationJwt',
    rateLimit: 'integration',
    audit: true,
    status: 200,
    response: OutcomesResponse,
    errors: integrationErrors,
  }),

  listIntegrationPartners: defineRoute({
    id: 'listIntegrationPartners',
    method: 'GET',
    path: '/admin/integration/partners',
    summary: 'All integration partners and their key metadata',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    status: 200,
    response: IntegrationPartnerList,
    errors: adminErrors,
  }),

  createIntegrationPartner: defineRoute({
    id: 'createIntegrationPartner',
    method: 'POST',
    path: '/admin/integration/partners',
    summary: 'Create an integration partner with its first API key and secret (shown once)',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    body: CreateIntegrationPartnerRequest,
    status: 201,
    response: CreateIntegrationPartnerResponse,
    errors: adminWriteErrors,
  }),

  updateIntegrationPartner: defineRoute({
    id: 'updateIntegrationPartner',
    method: 'PATCH',
    path: '/admin/integration/partners/{partnerId}',
    summary: 'Suspend or reactivate an integration partner, set its IP allowlist or custom rate limit',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    params: z.object({ partnerId: IdParam }),
    body: UpdateIntegrationPartnerRequest,
    status: 200,
    response: IntegrationPartnerResponse,
    errors: { ...adminWriteErrors, 404: [ErrorText.notFound] },
  }),

  createIntegrationKey: defineRoute({
    id: 'createIntegrationKey',
    method: 'POST',
    path: '/admin/integration/partners/{partnerId}/keys',
    summary: 'Issue a new API key and secret for an integration partner (rotation)',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    params: z.object({ partnerId: IdParam }),
    body: CreateIntegrationKeyRequest,
    status: 201,
    response: CreateIntegrationKeyResponse,
    errors: { ...adminWriteErrors, 404: [ErrorText.notFound] },
  }),

  createTherapist: defineRoute({
    id: 'createTherapist',
    method: 'POST',
    path: '/admin/integration/therapists',
    summary: 'Create a therapist',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    body: CreateTherapistRequest,
    status: 201,
    response: TherapistResponse,
    errors: adminWriteErrors,
  }),

  updateTherapist: defineRoute({
    id: 'updateTherapist',
    method: 'PATCH',
    path: '/admin/integration/therapists/{therapistId}',
    summary: 'Activate or deactivate a therapist',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    params: z.object({ therapistId: IdParam }),
    body: UpdateTherapistRequest,
    status: 200,
    response: TherapistResponse,
    errors: { ...adminWriteErrors, 404: [ErrorText.notFound] },
  }),

  createClient: defineRoute({
    id: 'createClient',
    method: 'POST',
    path: '/admin/integration/clients',
    summary: 'Create a client (sandbox)',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    body: CreateClientRequest,
    status: 201,
    response: ClientRecordResponse,
    errors: adminWriteErrors,
  }),

  createCouple: defineRoute({
    id: 'createCouple',
    method: 'POST',
    path: '/admin/integration/couples',
    summary: 'Pair two clients as a couple (sandbox)',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    body: CreateCoupleRequest,
    status: 201,
    response: CoupleRecordResponse,
    errors: { ...adminWriteErrors, 404: [ErrorText.notFound] },
  }),

  createClientLink: defineRoute({
    id: 'createClientLink',
    method: 'POST',
    path: '/admin/integration/links',
    summary: 'Link a client to a therapist with a permission level (consent granted now)',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    body: CreateClientLinkRequest,
    status: 201,
    response: ClientLinkResponse,
    errors: { ...adminWriteErrors, 404: [ErrorText.notFound], 409: [ErrorText.linkExists] },
  }),

  updateClientLink: defineRoute({
    id: 'updateClientLink',
    method: 'PATCH',
    path: '/admin/integration/links/{linkId}',
    summary: "Change a client's permission level, or revoke or grant consent (revoking queues consent.revoked)",
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    params: z.object({ linkId: IdParam }),
    body: UpdateClientLinkRequest,
    status: 200,
    response: ClientLinkResponse,
    errors: { ...adminWriteErrors, 404: [ErrorText.notFound] },
  }),

  createTherapistAlert: defineRoute({
    id: 'createTherapistAlert',
    method: 'POST',
    path: '/admin/integration/alerts',
    summary: 'Raise an alert about a client for a therapist (queues alert.created, alert.critical, milestone.achieved)',
    tags: ['Admin'],
    auth: 'staffJwt',
    roles: ['admin'],
    body: CreateTherapistAlertRequest,
    status: 201,
    response: CreateTherapistAlertResponse,
    errors: { ...adminWriteErrors, 404: [ErrorText.notFound] },
  }),

  registerWebhook: defineRoute({
    id: 'registerWebhook',
    method: 'POST',
    path: '/api/integration/webhook/register',
    summary: "Register a URL for real-time alerts about this therapist's clients",
    description:
      'Events are POSTed as `{ type, timestamp, ...fields }`, signed with Standard Webhooks headers and the ' +
      'legacy X-CareOS-Signature / X-LoveRescue-Signature. The secret is returned only here. Registering the ' +
      'same URL again (same partner and therapist) replaces its events and issues a new secret.',
    tags: [...integrationTag, 'Webhooks'],
    auth: 'integrationJwt',
    rateLimit: 'integration',
    audit: true,
    body: RegisterWebhookRequest,
    status: 200,
    response: RegisterWebhookResponse,
    errors: {
      400: [missingFieldsMessage(['webhookUrl', 'events']), ErrorText.invalidBody, ErrorText.malformedJson, ErrorText.webhookUrlRefused],
      ...integrationErrors,
      409: [ErrorText.idempotencyInProgress],
      415: [ErrorText.unsupportedMediaType],
      422: [ErrorText.idempotencyConflict],
    },
  }),

  deleteWebhook: defineRoute({
    id: 'deleteWebhook',
    method: 'DELETE',
    path: '/api/integration/webhook/{webhookId}',
    summary: 'Remove a webhook endpoint registered with this therapist’s token; nothing more is sent to it',
    description:
      'Pending deliveries to it are marked `failed` (`last_error`: `endpoint removed`) and are not attempted again. ' +
      'Only an endpoint of this integration partner and therapist can be removed; any other id is 404, and so is ' +
      'removing it a second time. Registering the URL again brings it back with a new secret.',
    tags: [...integrationTag, 'Webhooks'],
    auth: 'integrationJwt',
    rateLimit: 'integration',
    audit: true,
    params: z.object({ webhookId: IdParam }),
    status: 200,
    response: DeleteWebhookResponse,
    errors: { ...integrationErrors, 400: [ErrorText.invalidParams], 404: [ErrorText.notFound] },
  }),

  createPartnerWebhook: defineRoute({
    id: 'createPartnerWebhook',
    method: 'POST',
    path: '/api/partner/webhooks',
    summary: 'Register a URL for this partner’s events (payment.paid); returns its secret once',
    description: 'Registering a URL the partner already has replaces its events and issues a new secret.',
    tags: ['Payments', 'Webhooks'],
    auth: 'partnerKey',
    rateLimit: 'leads',
    audit: true,
    body: CreatePartnerWebhookRequest,
    status: 201,
    response: CreatePartnerWebhookResponse,
    errors: {
      400: [missingFieldsMessage(['url']), ErrorText.invalidBody, ErrorText.malformedJson, ErrorText.webhookUrlRefused],
      ...partnerAuthErrors,
      409: [ErrorText.idempotencyInProgress],
      415: [ErrorText.unsupportedMediaType],
      422: [ErrorText.idempotencyConflict],
    },
  }),

  deletePartnerWebhook: defineRoute({
    id: 'deletePartnerWebhook',
    method: 'DELETE',
    path: '/api/partner/webhooks/{webhookId}',
    summary: 'Remove one of this partner’s webhook endpoints; nothing more is sent to it',
    description:
      'Pending deliveries to it are marked `failed` (`last_error`: `endpoint removed`) and are not attempted again; ' +
      'it no longer appears in the partner’s list. Another partner’s endpoint is 404, and so is removing it a second ' +
      'time. Registering the URL again brings it back with a new secret.',
    tags: ['Payments', 'Webhooks'],
    auth: 'partnerKey',
    rateLimit: 'leads',
    audit: true,
    params: z.object({ webhookId: IdParam }),
    status: 200,
    response: DeleteWebhookResponse,
    errors: { ...partnerAuthErrors, 400: [ErrorText.invalidParams], 404: [ErrorText.notFound] },
  }),

  listPartnerWebhooks: defineRoute({
    id: 'listPartnerWebhooks',
    method: 'GET',
    path: '/api/partner/webhooks',
    summary: 'This partner’s webhook endpoints (without secrets)',
    tags: ['Payments', 'Webhooks'],
    auth: 'partnerKey',
    rateLimit: 'leads',
    audit: true,
    query: ListQuery,
    status: 200,
    response: WebhookEndpointList,
    errors: { ...listErrors, ...partnerAuthErrors },
  }),

  listWebhookEndpoints: defineRoute({
    id: 'listWebhookEndpoints',
    method: 'GET',
    path: '/admin/webhooks/endpoints',
    summary: 'Every registered webhook endpoint (without secrets), newest first',
    tags: ['Admin', 'Webhooks'],
    auth: 'staffJwt',
    roles: ['admin'],
    query: WebhookEndpointListQuery,
    status: 200,
    response: WebhookEndpointList,
    errors: { ...listErrors, ...adminErrors },
  }),

  listWebhookDeliveries: defineRoute({
    id: 'listWebhookDeliveries',
    method: 'GET',
    path: '/admin/webhooks/deliveries',
    summary: 'Webhook deliveries, newest first, with where each stands',
    tags: ['Admin', 'Webhooks'],
    auth: 'staffJwt',
    roles: ['admin'],
    query: WebhookDeliveryListQuery,
    status: 200,
    response: WebhookDeliveryList,
    errors: { ...listErrors, ...adminErrors },
  }),

  retrieveWebhookDelivery: defineRoute({
    id: 'retrieveWebhookDelivery',
    method: 'GET',
    path: '/admin/webhooks/deliveries/{deliveryId}',
    summary: 'One delivery with every attempt made',
    tags: ['Admin', 'Webhooks'],
    auth: 'staffJwt',
    roles: ['admin'],
    params: z.object({ deliveryId: IdParam }),
    status: 200,
    response: WebhookDeliveryDetail,
    errors: { ...adminErrors, 404: [ErrorText.notFound] },
  }),

  redeliverWebhook: defineRoute({
    id: 'redeliverWebhook',
    method: 'POST',
    path: '/admin/webhooks/deliveries/{deliveryId}/redeliver',
    summary: 'Send a delivery again now, whatever its status (a new series of attempts)',
    description: 'The body and webhook-id stay the same, so receivers that deduplicate on webhook-id see a duplicate.',
    tags: ['Admin', 'Webhooks'],
    auth: 'staffJwt',
    roles: ['admin'],
    params: z.object({ deliveryId: IdParam }),
    status: 200,
    response: WebhookDelivery,
    errors: { ...adminErrors, 404: [ErrorText.notFound], 409: [ErrorText.idempotencyInProgress], 422: [ErrorText.idempotencyConflict] },
  }),

  triggerSandboxWebhook: defineRoute({
    id: 'triggerSandboxWebhook',
    method: 'POST',
    path: '/admin/sandbox/webhooks/trigger',
    summary: 'Emit a sample event to every endpoint subscribed to it',
    description:
      'Integration events go to the endpoints registered for `therapist_id`; payment.paid to the endpoints of lead ' +
      'partner `partner`. Returns the deliveries queued (none when nobody subscribed).',
    tags: ['Admin', 'Sandbox', 'Webhooks'],
    auth: 'staffJwt',
    roles: ['admin'],
    body: TriggerWebhookRequest,
    status: 200,
    response: TriggerWebhookResponse,
    errors: { 400: [ErrorText.invalidBody], ...adminErrors, 404: [ErrorText.notFound], 409: [ErrorText.idempotencyInProgress], 422: [ErrorText.idempotencyConflict] },
  }),

  lookupPhone: defineRoute({
    id: 'lookupPhone',
    method: 'GET',
    path: '/api/lookup',
    summary: 'Screen pop: the most recent case of the patient with this phone number',
    description: lookupDescription,
    tags: lookupTag,
    auth: 'lookupKey',
    rateLimit: 'lookup',
    audit: true,
    query: LookupQuery,
    status: 200,
    response: LookupFound,
    alternatives: lookupNotFound,
    errors: {
      400: [ErrorText.phoneRequired, ErrorText.invalidPhone, ErrorText.invalidQuery],
      401: [ErrorText.unauthorized],
      429: [ErrorText.rateLimited],
    },
  }),

  lookupPhonePost: defineRoute({
    id: 'lookupPhonePost',
    method: 'POST',
    path: '/api/lookup',
    summary: 'Screen pop with the phone in a JSON body (same answers as GET)',
    description:
      `${lookupDescription} A lookup is a read: it ignores Idempotency-Key (a replayed answer could hide a newer case, ` +
      'and patient data must not be kept for a day for replays).',
    tags: lookupTag,
    auth: 'lookupKey',
    rateLimit: 'lookup',
    audit: true,
    body: LookupRequest,
    status: 200,
    response: LookupFound,
    alternatives: lookupNotFound,
    errors: {
      400: [ErrorText.phoneRequired, ErrorText.invalidPhone, ErrorText.invalidBody, ErrorText.malformedJson],
      401: [ErrorText.unauthorized],
      413: [ErrorText.payloadTooLarge],
      415: [ErrorText.unsupportedMediaType],
      429: [ErrorText.rateLimited],
    },
  }),

  listLookupKeys: defineRoute({
    id: 'listLookupKeys',
    method: 'GET',
    path: '/admin/lookup/keys',
    summary: 'Every lookup API key (without the keys), newest first',
    tags: ['Admin', ...lookupTag],
    auth: 'staffJwt',
    roles: ['admin'],
    status: 200,
    response: LookupKeyList,
    errors: adminErrors,
  }),

  createLookupKey: defineRoute({
    id: 'createLookupKey',
    method: 'POST',
    path: '/admin/lookup/keys',
    summary: 'Issue a lookup API key for a contact centre (shown once)',
    tags: ['Admin', ...lookupTag],
    auth: 'staffJwt',
    roles: ['admin'],
    body: CreateLookupKeyRequest,
    status: 201,
    response: CreateLookupKeyResponse,
    errors: { ...adminWriteErrors, 409: [ErrorText.idempotencyInProgress], 422: [ErrorText.idempotencyConflict] },
  }),

  revokeLookupKey: defineRoute({
    id: 'revokeLookupKey',
    method: 'DELETE',
    path: '/admin/lookup/keys/{keyId}',
    summary: 'Revoke a lookup API key; it stops working at once',
    tags: ['Admin', ...lookupTag],
    auth: 'staffJwt',
    roles: ['admin'],
    params: z.object({ keyId: IdParam }),
    status: 200,
    response: LookupKeyResponse,
    errors: { ...adminErrors, 404: [ErrorText.notFound] },
  }),

  createLookupCase: defineRoute({
    id: 'createLookupCase',
    method: 'POST',
    path: '/admin/lookup/cases',
    summary: 'Create a case for a new or existing patient (sandbox), so lookups can find it',
    tags: ['Admin', 'Sandbox', ...lookupTag],
    auth: 'staffJwt',
    roles: ['admin'],
    body: CreateLookupCaseRequest,
    status: 201,
    response: LookupCaseRecord,
    errors: {
      ...adminWriteErrors,
      400: [ErrorText.invalidBody, ErrorText.malformedJson, ErrorText.invalidPhone],
      404: [ErrorText.notFound],
      409: [ErrorText.idempotencyInProgress],
      422: [ErrorText.idempotencyConflict],
    },
  }),

  listAuditLog: defineRoute({
    id: 'listAuditLog',
    method: 'GET',
    path: '/admin/audit',
    summary: 'Audit rows, newest first: who did what to which record, and how it ended (never PHI)',
    tags: ['Admin', 'Audit'],
    auth: 'staffJwt',
    roles: ['admin'],
    query: AuditLogQuery,
    status: 200,
    response: AuditLogList,
    errors: { ...listErrors, ...adminErrors },
  }),

  verifyAuditLog: defineRoute({
    id: 'verifyAuditLog',
    method: 'GET',
    path: '/admin/audit/verify',
    summary: 'Walk the audit hash chain and report the first broken link, if any',
    description:
      'Recomputes every row’s hash from its fields and the previous row’s hash, in order. A row edited, removed or ' +
      'inserted in the database breaks the chain there; `first_broken` names it. Rows removed from the end are not ' +
      'detectable from the chain alone: compare `head` with one kept elsewhere.',
    tags: ['Admin', 'Audit'],
    auth: 'staffJwt',
    roles: ['admin'],
    status: 200,
    response: AuditVerifyResponse,
    errors: adminErrors,
  }),
} as const;

/** The route table type. */
export type Routes = typeof routes;
/** A route id. */
export type RouteId = keyof Routes;
/** All routes as a list, in table order. */
export const routeList = Object.values(routes);
