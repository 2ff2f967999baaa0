import { routes } from '@careos/contract';
import type { Router } from 'express';
import { staffActor } from './actor.js';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/** The page the browser lands on once a calendar is connected. Static: nothing from the request is echoed. */
const CONNECTED_PAGE = (provider: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Calendar connected</title></head>` +
  `<body><h1>Your ${provider === 'google' ? 'Google' : 'Microsoft'} calendar is connected</h1><p>You can close this window and return to CareOS.</p></body></html>`;

/**
 * Calendars: each staff member connects their own. The route table audits every call; the
 * callback is anonymous (the state authenticates it), so the service also audits its outcome
 * under the staff member the state names.
 */
export function bindCalendarRoutes(router: Router, kit: HttpKit): void {
  const { calendarConnections, calendarEvents } = kit.services;

  for (const [route, provider] of [
    [routes.connectGoogleCalendar, 'google'],
    [routes.connectMicrosoftCalendar, 'microsoft'],
  ] as const) {
    bindRoute(router, kit, route, async ({ ctx, ip }) => {
      const actor = staffActor(ctx, ip);
      ctx.auditSubject = { type: 'staff', id: actor.staffId };
      const { authUrl, expiresAt } = await calendarConnections.connect(actor.staffId, provider);
      return { body: { ok: true as const, authUrl, expires_at: expiresAt.toISOString() } };
    });
  }

  for (const [route, provider] of [
    [routes.googleCalendarCallback, 'google'],
    [routes.microsoftCalendarCallback, 'microsoft'],
  ] as const) {
    bindRoute(router, kit, route, async ({ query, ctx, ip }) => {
      const { staffId } = await calendarConnections.callback({ provider, query: query as Record<string, string | undefined>, requestId: ctx.requestId, ip: ip ?? null });
      ctx.auditSubject = { type: 'staff', id: staffId };
      return { body: CONNECTED_PAGE(provider) };
    });
  }

  bindRoute(router, kit, routes.listCalendarIntegrations, async ({ ctx, ip }) => {
    const integrations = await calendarConnections.list(staffActor(ctx, ip).staffId);
    return { body: { ok: true as const, integrations } };
  });

  bindRoute(router, kit, routes.listCalendarEvents, async ({ query, ctx, ip }) => {
    const actor = staffActor(ctx, ip);
    ctx.auditSubject = { type: 'staff', id: actor.staffId };
    return { body: await calendarEvents.list(actor.staffId, new Date(query.from), new Date(query.to), { sync: query.sync === true }) };
  });

  bindRoute(router, kit, routes.disconnectCalendar, async ({ params, ctx, ip }) => {
    const actor = staffActor(ctx, ip);
    ctx.auditSubject = { type: 'staff', id: actor.staffId };
    const { revokedAtProvider } = await calendarConnections.disconnect(actor, params.provider);
    return { body: { ok: true as const, provider: params.provider, revoked_at_provider: revokedAtProvider } };
  });
}
