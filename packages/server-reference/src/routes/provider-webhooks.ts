import { routes } from '@careos/contract';
import type { Router } from 'express';
import type { RequestContext } from '../http/context.js';
import type { WebhookActor } from '../services/provider-events.js';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';
import { twiml } from './twiml.js';

function actor(provider: WebhookActor['provider'], ctx: RequestContext, ip: string | undefined): WebhookActor {
  return { provider, ip: ip ?? null, requestId: ctx.requestId };
}

/**
 * What Twilio and SendGrid call (signatures checked before any of this runs, see
 * `ProviderSignatures`). Audit rows name the message or contact by id, never a phone, an
 * address or a text.
 */
export function bindProviderWebhookRoutes(router: Router, kit: HttpKit): void {
  const { providerEvents, inboundSms } = kit.services;

  bindRoute(router, kit, routes.twilioStatusCallback, async ({ body, ctx }) => {
    const outcome = await providerEvents.twilioStatus({ messageSid: body.MessageSid, messageStatus: body.MessageStatus, errorCode: body.ErrorCode });
    if (outcome.messageId) ctx.auditSubject = { type: 'message', id: outcome.messageId };
    return { body: { received: true as const, message_id: outcome.messageId, status: outcome.status, duplicate: outcome.duplicate } };
  });

  bindRoute(router, kit, routes.twilioInboundMessage, async ({ body, ctx, ip }) => {
    const outcome = await inboundSms.receive({ messageSid: body.MessageSid, from: body.From, to: body.To, body: body.Body }, actor('twilio', ctx, ip));
    if (outcome.contactId) ctx.auditSubject = { type: 'contact', id: outcome.contactId };
    return { body: twiml(outcome.reply) };
  });

  bindRoute(router, kit, routes.sendgridEvents, async ({ body, ctx, ip }) => {
    const outcome = await providerEvents.sendgridEvents(body, actor('sendgrid', ctx, ip));
    return { body: outcome };
  });
}
