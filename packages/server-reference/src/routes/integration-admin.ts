import { routes } from '@careos/contract';
import type { Router } from 'express';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/**
 * Admin and sandbox routes of the integration API: partners, keys, therapists, clients,
 * couples, consent links and alerts, so every response and webhook can be produced locally.
 */
export function bindIntegrationAdminRoutes(router: Router, kit: HttpKit): void {
  const { access, directory, consent, alerts } = kit.services.integration;

  bindRoute(router, kit, routes.listIntegrationPartners, async () => ({ body: { partners: await access.listPartners() } }));

  bindRoute(router, kit, routes.createIntegrationPartner, async ({ body, ctx }) => {
    const created = await access.createPartner({
      name: body.name,
      environment: body.environment,
      ipAllowlist: body.ip_allowlist,
      rateLimitPerMinute: body.rate_limit_per_minute,
    });
    ctx.auditSubject = { type: 'integration_partner', id: created.partner.id };
    return { body: { partner: created.partner, api_key: created.apiKey, api_secret: created.apiSecret } };
  });

  bindRoute(router, kit, routes.updateIntegrationPartner, async ({ params, body, ctx }) => {
    ctx.auditSubject = { type: 'integration_partner', id: params.partnerId };
    const update = { name: body.name, status: body.status, ipAllowlist: body.ip_allowlist, rateLimitPerMinute: body.rate_limit_per_minute };
    return { body: { partner: await access.updatePartner(params.partnerId, update) } };
  });

  bindRoute(router, kit, routes.createIntegrationKey, async ({ params, body, ctx }) => {
    ctx.auditSubject = { type: 'integration_partner', id: params.partnerId };
    const issued = await access.createKey(params.partnerId, { environment: body.environment, revokeExisting: body.revoke_existing });
    ctx.auditSubject = { type: 'integration_key', id: issued.key.id };
    return {
      body: {
        api_key: issued.apiKey,
        api_secret: issued.apiSecret,
        key: { id: issued.key.id, prefix: issued.key.prefix, created_at: issued.key.createdAt.toISOString(), revoked_at: null },
      },
    };
  });

  bindRoute(router, kit, routes.createTherapist, async ({ body, ctx }) => {
    const therapist = await directory.createTherapist({ firstName: body.first_name, lastName: body.last_name, email: body.email, active: body.active });
    ctx.auditSubject = { type: 'therapist', id: therapist.id };
    return { body: { therapist } };
  });

  bindRoute(router, kit, routes.updateTherapist, async ({ params, body, ctx }) => {
    ctx.auditSubject = { type: 'therapist', id: params.therapistId };
    return { body: { therapist: await directory.setTherapistActive(params.therapistId, body.active) } };
  });

  bindRoute(router, kit, routes.createClient, async ({ body, ctx }) => {
    const client = await directory.createClient({ firstName: body.first_name, lastName: body.last_name, email: body.email });
    ctx.auditSubject = { type: 'client', id: client.id };
    return { body: { client } };
  });

  bindRoute(router, kit, routes.createCouple, async ({ body, ctx }) => {
    const couple = await directory.createCouple({ partner1Id: body.partner1_id, partner2Id: body.partner2_id, status: body.status });
    ctx.auditSubject = { type: 'couple', id: couple.id };
    return { body: { couple } };
  });

  // Consent changes name the client whose consent it is (the person), before the change is tried.
  bindRoute(router, kit, routes.createClientLink, async ({ body, ctx }) => {
    ctx.auditSubject = { type: 'client', id: body.client_id };
    return { body: { link: await consent.create({ therapistId: body.therapist_id, clientId: body.client_id, permissionLevel: body.permission_level }) } };
  });

  bindRoute(router, kit, routes.updateClientLink, async ({ params, body, ctx }) => {
    ctx.auditSubject = { type: 'consent_link', id: params.linkId };
    const link = await consent.update(params.linkId, { permissionLevel: body.permission_level, consent: body.consent });
    ctx.auditSubject = { type: 'client', id: link.client_id };
    return { body: { link } };
  });

  bindRoute(router, kit, routes.createTherapistAlert, async ({ body, ctx }) => {
    ctx.auditSubject = { type: 'client', id: body.client_id };
    const created = await alerts.create({
      therapistId: body.therapist_id,
      clientId: body.client_id,
      alertType: body.alert_type,
      severity: body.severity,
      message: body.message,
      metadata: body.metadata,
    });
    return { body: { alert: created.alert, webhooks_queued: created.webhooksQueued } };
  });
}
