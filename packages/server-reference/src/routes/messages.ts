import { routes } from '@careos/contract';
import type { Router } from 'express';
import { staffActor } from './actor.js';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/**
 * Messages: the conversation with a contact, and resuming a contact's automation. Audit rows
 * name the contact (or message) by id only, never what was said.
 */
export function bindMessageRoutes(router: Router, kit: HttpKit): void {
  const { conversations, automation, contacts } = kit.services;

  bindRoute(router, kit, routes.createMessage, async ({ body, ctx, ip }) => {
    ctx.auditSubject = { type: 'contact', id: body.contact_id };
    const created = await conversations.create({ contactId: body.contact_id, body: body.body, direction: body.direction }, staffActor(ctx, ip));
    return { body: { message: created.message, automation_paused: created.automationPaused, cancelled_message_ids: created.cancelled } };
  });

  bindRoute(router, kit, routes.listConversationMessages, async ({ query }) => {
    const { contact_id: contactId, ...filter } = query;
    const page = await conversations.list({ ...filter, contactId });
    return { body: { messages: page.messages, next_cursor: page.nextCursor } };
  });

  bindRoute(router, kit, routes.getConversation, async ({ params, query, ctx }) => {
    ctx.auditSubject = { type: 'contact', id: params.contact_id };
    const page = await conversations.forContact(params.contact_id, query);
    return { body: { messages: page.messages, next_cursor: page.nextCursor } };
  });

  bindRoute(router, kit, routes.resumeAutomation, async ({ params, ctx, ip }) => {
    ctx.auditSubject = { type: 'contact', id: params.id };
    const resumed = await automation.resume(params.id, staffActor(ctx, ip));
    return { body: { contact: await contacts.get(params.id), resumed } };
  });
}
