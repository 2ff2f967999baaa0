import { z } from 'zod';
import { IdParam } from '../common.js';
import { ErrorText } from '../errors.js';
import {
  AssignActivityRequest,
  AssignActivityResponse,
  ClientProgress,
  CoupleDynamics,
  IntegrationAuthRequest,
  IntegrationAuthResponse,
  IntegrationClientList,
  OutcomesResponse,
  SessionPrepQuery,
  SessionPrepResponse,
  TherapistAlertList,
  TherapistAlertListQuery,
} from '../schemas/integration/index.js';
import { defineRoute } from '../route.js';
import { listErrors, integrationErrors, integrationTag } from './shared.js';

/** Routes about one client add the consent check; an unknown or unlinked client is the same 403. */
const clientErrors = { ...integrationErrors, 400: [ErrorText.invalidParams], 403: [ErrorText.ipNotAllowed, ErrorText.noConsent] } as const;

/** The therapist integration API, called with an integration token. */
export const integrationRoutes = {
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
} as const;
