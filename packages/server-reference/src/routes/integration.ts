import { routes } from '@careos/contract';
import type { Router } from 'express';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/** The therapist integration API (seed `loverescue-integration-api.md` §1-2, without webhook registration). */
export function bindIntegrationRoutes(router: Router, kit: HttpKit): void {
  const { access, caseload, progress, sessionPrep, dynamics, alerts, tasks } = kit.services.integration;

  bindRoute(router, kit, routes.createIntegrationToken, async ({ body, ctx, ip }) => {
    const match = await access.lookupKey(body.apiKey);
    // From here on the audit row names the partner and key, failures included.
    ctx.integration = { partnerId: match.partnerId, apiKeyId: match.keyId, therapistId: body.therapistId };
    access.checkAddress(match.ipAllowlist, ip);
    // Counted per API key before the (deliberately slow) secret check, so guessing secrets is rate limited.
    const decision = await kit.rateLimits.consume('integration', match.keyId, match.rateLimitPerMinute);
    if (decision?.limited) throw kit.rateLimits.limitedError(decision);
    // And consecutive wrong secrets per key, so a leaked key alone cannot be used to guess its secret.
    const attempt = await kit.attemptLimits.integrationSecret(match.keyId);
    const token = await access.issueToken(match, body.apiSecret, body.therapistId).catch(async (error: unknown) => {
      if (!access.isWrongSecret(error)) await attempt.succeeded();
      throw error;
    });
    await attempt.succeeded();
    return { body: token, headers: decision ? kit.rateLimits.headers(decision) : {} };
  });

  bindRoute(router, kit, routes.listIntegrationClients, async ({ ctx }) => ({ body: await caseload.listClients(ctx.integration!.therapistId) }));

  bindRoute(router, kit, routes.retrieveClientProgress, async ({ params, ctx }) => {
    ctx.auditSubject = { type: 'client', id: params.clientId };
    return { body: await progress.get(ctx.integration!.therapistId, params.clientId) };
  });

  bindRoute(router, kit, routes.retrieveSessionPrep, async ({ params, query, ctx }) => {
    ctx.auditSubject = { type: 'client', id: params.clientId };
    return { body: { report: await sessionPrep.generate(ctx.integration!.therapistId, params.clientId, query.lastSessionDate) } };
  });

  bindRoute(router, kit, routes.retrieveCoupleDynamics, async ({ params, ctx }) => {
    ctx.auditSubject = { type: 'couple', id: params.coupleId };
    return { body: await dynamics.get(ctx.integration!.therapistId, params.coupleId) };
  });

  bindRoute(router, kit, routes.listTherapistAlerts, async ({ query, ctx }) => ({
    body: await alerts.list(ctx.integration!.therapistId, {
      type: query.type,
      unreadOnly: query.unreadOnly,
      since: query.since,
      limit: query.limit,
      cursor: query.cursor,
    }),
  }));

  bindRoute(router, kit, routes.assignClientActivity, async ({ params, body, ctx }) => {
    ctx.auditSubject = { type: 'client', id: params.clientId };
    return { body: await tasks.assign(ctx.integration!.therapistId, params.clientId, body) };
  });

  bindRoute(router, kit, routes.retrieveOutcomes, async ({ ctx }) => ({ body: await caseload.outcomes(ctx.integration!.therapistId) }));
}
