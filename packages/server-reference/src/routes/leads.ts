import { routes } from '@careos/contract';
import type { Router } from 'express';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/** Lead routes: the public key, ingestion, and reading leads back. */
export function bindLeadRoutes(router: Router, kit: HttpKit): void {
  bindRoute(router, kit, routes.retrievePublicKey, async () => {
    const key = kit.keys().current;
    return { body: { key_id: key.id, algorithm: 'RSA-OAEP-256' as const, public_key: key.publicKeyPem } };
  });

  bindRoute(router, kit, routes.ingestLead, async ({ body, headers, ctx, ip }) => {
    const result = await kit.services.leads.ingest({ partner: ctx.partner!, lead: body, keyId: headers['x-careos-key-id'], ip: ip ?? null });
    ctx.auditSubject = { type: 'user', id: result.response.careos_user_id };
    return { body: result.response, replayed: result.replayed };
  });

  bindRoute(router, kit, routes.listPartnerLeads, async ({ query, ctx }) => {
    const page = await kit.services.leads.list({ limit: query.limit, cursor: query.cursor, partnerId: ctx.partner!.partnerId });
    return { body: { leads: page.leads, next_cursor: page.nextCursor } };
  });

  bindRoute(router, kit, routes.retrieveLead, async ({ params, ctx }) => {
    const lead = await kit.services.leads.get(ctx.partner!.partnerId, params.leadId);
    ctx.auditSubject = { type: 'user', id: lead.careos_user_id };
    return { body: lead };
  });
}
