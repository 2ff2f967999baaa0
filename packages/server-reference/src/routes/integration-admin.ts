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

  bindRoute(router, kit, routes.createIntegrationPartner, async ({ body }) => {
    const created = await access.createPartner({
      name: body.name,
      environment: body.environment,
      ipAllowlist: body.ip_allowlist,
      rateLimitPerMinute: body.rate_limit_per_minute,
    });
    return { body: { partner: created.partner, api_key: created.apiKey, api_secret: created.apiSecret } };
  });

  bindRoute(router, kit, routes.updateIntegrationPartner, async ({ params, body }) => ({
    body: {
      partner: await access.updatePartner(params.partnerId, {
        name: body.name,
        status: body.status,
        ipAllowlist: body.ip_allowlist,
        rateLimitPerMinute: body.rate_limit_per_minute,
      }),
    },
  }));

  bindRoute(router, kit, routes.createIntegrationKey, async ({ params, body }) => {
    const issued = await access.createKey(params.partnerId, { environment: body.environment, revokeExisting: body.revoke_existing });
    return {
      body: {
        api_key: issued.apiKey,
        api_secret: issued.apiSecret,
        key: { id: issued.key.id, prefix: issued.key.prefix, created_at: issued.key.createdAt.toISOString(), revoked_at: null },
      },
    };
  });

  bindRoute(router, kit, routes.createTherapist, async ({ body }) => ({
    body: { therapist: await directory.createTherapist({ firstName: body.first_name, lastName: body.last_name, email: body.email, active: body.active }) },
  }));

  bindRoute(router, kit, routes.updateTherapist, async ({ params, body }) => ({
    body: { therapist: await directory.setTherapistActive(params.therapistId, body.active) },
  }));

  bindRoute(router, kit, routes.createClient, async ({ body }) => ({
    body: { client: await directory.createClient({ firstName: body.first_name, lastName: body.last_name, email: body.email }) },
  }));

  bindRoute(router, kit, routes.createCouple, async ({ body }) => ({
    body: { couple: await directory.createCouple({ partner1Id: body.partner1_id, partner2Id: body.partner2_id, status: body.status }) },
  }));

  bindRoute(router, kit, routes.createClientLink, async ({ body }) => ({
    body: { link: await consent.create({ therapistId: body.therapist_id, clientId: body.client_id, permissionLevel: body.permission_level }) },
  }));

  bindRoute(router, kit, routes.updateClientLink, async ({ params, body }) => ({
    body: { link: await consent.update(params.linkId, { permissionLevel: body.permission_level, consent: body.consent }) },
  }));

  bindRoute(router, kit, routes.createTherapistAlert, async ({ body }) => {
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
