import { routes } from '@careos/contract';
import type { Router } from 'express';
import { staffActor } from './actor.js';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/** Care operations: contacts. Audit rows name the contact by id only, never its details. */
export function bindContactRoutes(router: Router, kit: HttpKit): void {
  const { contacts } = kit.services;

  bindRoute(router, kit, routes.createContact, async ({ body, ctx }) => {
    const created = await contacts.create({ name: body.name, phone: body.phone, email: body.email, notes: body.notes, language: body.language });
    ctx.auditSubject = { type: 'contact', id: created.contact.id };
    return { body: { contact: created.contact, welcome_message_id: created.welcomeMessageId } };
  });

  bindRoute(router, kit, routes.listContacts, async ({ query }) => {
    const page = await contacts.list(query);
    return { body: { contacts: page.contacts, next_cursor: page.nextCursor } };
  });

  bindRoute(router, kit, routes.getContact, async ({ params, ctx }) => {
    ctx.auditSubject = { type: 'contact', id: params.id };
    return { body: { contact: await contacts.get(params.id) } };
  });

  bindRoute(router, kit, routes.updateContact, async ({ params, body, ctx, ip }) => {
    ctx.auditSubject = { type: 'contact', id: params.id };
    const { automation_paused: automationPaused, ...fields } = body;
    return { body: { contact: await contacts.update(params.id, { ...fields, automationPaused }, staffActor(ctx, ip)) } };
  });

  bindRoute(router, kit, routes.deleteContact, async ({ params, ctx }) => {
    ctx.auditSubject = { type: 'contact', id: params.id };
    await contacts.delete(params.id);
    return { body: { id: params.id, deleted: true as const } };
  });
}
