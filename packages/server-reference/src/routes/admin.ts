import { routes } from '@careos/contract';
import type { Router } from 'express';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/** Admin routes: partners and keys, leads, messages, payments and payouts. */
export function bindAdminRoutes(router: Router, kit: HttpKit): void {
  const { partners, leads, conversations, payments } = kit.services;

  bindRoute(router, kit, routes.listPartners, async () => ({ body: { partners: await partners.list() } }));

  bindRoute(router, kit, routes.createPartner, async ({ body, ctx }) => {
    const created = await partners.create({
      platform: body.platform,
      name: body.name,
      environment: body.environment,
      phoneHashSalt: body.phone_hash_salt,
      minPayout: body.min_payout,
      payoutDestination: body.payout_destination,
    });
    ctx.auditSubject = { type: 'partner', id: created.partner.id };
    return { body: { partner: created.partner, api_key: created.apiKey, phone_hash_salt: created.phoneHashSalt } };
  });

  bindRoute(router, kit, routes.createPartnerKey, async ({ params, body, ctx }) => {
    const created = await partners.createKey(params.platform, { environment: body.environment, revokeExisting: body.revoke_existing });
    ctx.auditSubject = { type: 'api_key', id: created.key.id };
    return {
      body: {
        api_key: created.apiKey,
        key: { id: created.key.id, prefix: created.key.prefix, created_at: created.key.createdAt.toISOString(), revoked_at: null },
      },
    };
  });

  bindRoute(router, kit, routes.listLeads, async ({ query }) => {
    const page = await leads.list({ limit: query.limit, cursor: query.cursor, platform: query.partner });
    return { body: { leads: page.leads, next_cursor: page.nextCursor } };
  });

  bindRoute(router, kit, routes.listMessages, async ({ query }) => {
    const page = await conversations.list({ limit: query.limit, cursor: query.cursor, leadId: query.lead_id, contactId: query.user_id });
    return { body: { messages: page.messages, next_cursor: page.nextCursor } };
  });

  bindRoute(router, kit, routes.processPayments, async ({ body }) => ({
    body: await payments.processPayments({ asOf: body.as_of ? new Date(body.as_of) : undefined, partner: body.partner }),
  }));

  bindRoute(router, kit, routes.listPayouts, async ({ query }) => {
    const page = await payments.listPayouts({ limit: query.limit, cursor: query.cursor, partner: query.partner });
    return { body: { payouts: page.payouts, next_cursor: page.nextCursor } };
  });
}
