import { ErrorCode, ErrorText, routes } from '@careos/contract';
import type { Router } from 'express';
import { HttpError } from '../http/errors.js';
import type { RequestContext } from '../http/context.js';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

function integrationOf(ctx: RequestContext): NonNullable<RequestContext['integration']> {
  // The integrationJwt scheme fills this before any handler runs; refuse rather than guess an owner.
  if (!ctx.integration) throw new HttpError(401, { error: ErrorText.invalidIntegrationToken, code: ErrorCode.AUTH_FAILED });
  return ctx.integration;
}

/** Webhook registration (integration and lead partners) and the admin delivery API. */
export function bindWebhookRoutes(router: Router, kit: HttpKit): void {
  const { webhookEndpoints, webhookDeliveries, webhookSandbox } = kit.services;

  bindRoute(router, kit, routes.registerWebhook, async ({ body, ctx }) => {
    const integration = integrationOf(ctx);
    const { endpoint, secret } = await webhookEndpoints.register(
      { kind: 'integration', partnerId: integration.partnerId, therapistId: integration.therapistId },
      body.webhookUrl,
      body.events,
    );
    ctx.auditSubject = { type: 'webhook_endpoint', id: endpoint.id };
    return {
      body: { message: 'Webhook registered successfully' as const, webhookId: endpoint.id, webhookUrl: endpoint.url, webhookSecret: secret, events: endpoint.events },
    };
  });

  bindRoute(router, kit, routes.deleteWebhook, async ({ params, ctx }) => {
    const integration = integrationOf(ctx);
    ctx.auditSubject = { type: 'webhook_endpoint', id: params.webhookId };
    const owner = { kind: 'integration' as const, partnerId: integration.partnerId, therapistId: integration.therapistId };
    return { body: await webhookEndpoints.remove(owner, params.webhookId) };
  });

  bindRoute(router, kit, routes.createPartnerWebhook, async ({ body, ctx }) => {
    const { endpoint, secret } = await webhookEndpoints.register({ kind: 'partner', partnerId: ctx.partner!.partnerId }, body.url, body.events);
    ctx.auditSubject = { type: 'webhook_endpoint', id: endpoint.id };
    return { body: { webhook: endpoint, secret } };
  });

  bindRoute(router, kit, routes.deletePartnerWebhook, async ({ params, ctx }) => {
    ctx.auditSubject = { type: 'webhook_endpoint', id: params.webhookId };
    return { body: await webhookEndpoints.remove({ kind: 'partner', partnerId: ctx.partner!.partnerId }, params.webhookId) };
  });

  bindRoute(router, kit, routes.listPartnerWebhooks, async ({ query, ctx }) => {
    const page = await webhookEndpoints.list({ limit: query.limit, cursor: query.cursor, owner: { kind: 'partner', partnerId: ctx.partner!.partnerId } });
    return { body: { webhooks: page.webhooks, next_cursor: page.nextCursor } };
  });

  bindRoute(router, kit, routes.listWebhookEndpoints, async ({ query }) => {
    const page = await webhookEndpoints.list({ limit: query.limit, cursor: query.cursor, ownerKind: query.owner_kind });
    return { body: { webhooks: page.webhooks, next_cursor: page.nextCursor } };
  });

  bindRoute(router, kit, routes.listWebhookDeliveries, async ({ query }) => {
    const page = await webhookDeliveries.list({ limit: query.limit, cursor: query.cursor, status: query.status, event: query.event, endpointId: query.endpoint });
    return { body: { deliveries: page.deliveries, next_cursor: page.nextCursor } };
  });

  bindRoute(router, kit, routes.retrieveWebhookDelivery, async ({ params, ctx }) => {
    ctx.auditSubject = { type: 'webhook_delivery', id: params.deliveryId };
    return { body: await webhookDeliveries.get(params.deliveryId) };
  });

  bindRoute(router, kit, routes.redeliverWebhook, async ({ params, ctx }) => {
    ctx.auditSubject = { type: 'webhook_delivery', id: params.deliveryId };
    return { body: await webhookDeliveries.redeliver(params.deliveryId) };
  });

  bindRoute(router, kit, routes.triggerSandboxWebhook, async ({ body }) => ({
    body: {
      event: body.event,
      delivery_ids: await webhookSandbox.trigger({ event: body.event, therapistId: body.therapist_id, clientId: body.client_id, partner: body.partner }),
    },
  }));
}
