import { z } from 'zod';
import { IdParam, ListQuery } from '../common.js';
import { ErrorText, missingFieldsMessage } from '../errors.js';
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
} from '../schemas/webhooks.js';
import { defineRoute } from '../route.js';
import { partnerAuthErrors, adminErrors, listErrors, integrationErrors, integrationTag } from './shared.js';

/** Webhook endpoints, deliveries and the sandbox trigger. */
export const webhookRoutes = {
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
} as const;
