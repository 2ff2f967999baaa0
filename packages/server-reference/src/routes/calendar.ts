import { routes } from '@careos/contract';
import type { Router } from 'express';
import { staffActor } from './actor.js';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/** Each provider's connect and callback routes, and its name on the page the browser lands on. */
const PROVIDERS = [
  ['google', 'Google', routes.connectGoogleCalendar, routes.googleCalendarCallback],
  ['microsoft', 'Microsoft', routes.connectMicrosoftCalendar, routes.microsoftCalendarCallback],
  ['sandbox', 'sandbox', routes.connectSandboxCalendar, routes.sandboxCalendarCallback],
] as const;

/** The page the browser lands on once a calendar is connected. Static: nothing from the request is echoed. */
const CONNECTED_PAGE = (label: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Calendar connected</title></head>` +
  `<body><main><h1>Your ${label} calendar is connected</h1><p>You can close this window and return to CareOS.</p></main></body></html>`;
/** The connected page runs nothing and loads nothing. */
const PAGE_HEADERS = { 'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'", 'Cache-Control': 'no-store' };

/**
 * Calendars: each staff member connects their own. The route table audits every call; the
 * callback is anonymous (the state authenticates it), so the service also audits its outcome
 * under the staff member the state names.
 */
export function bindCalendarRoutes(router: Router, kit: HttpKit): void {
  const { calendarConnections, calendarEvents, calendarEventWriter } = kit.services;

  // The same connect and callback for every provider: only the authorization server differs.
  for (const [provider, label, connect, callback] of PROVIDERS) {
    bindRoute(router, kit, connect, async ({ ctx, ip }) => {
      const actor = staffActor(ctx, ip);
      ctx.auditSubject = { type: 'staff', id: actor.staffId };
      const { authUrl, expiresAt } = await calendarConnections.connect(actor.staffId, provider);
      return { body: { ok: true as const, authUrl, expires_at: expiresAt.toISOString() } };
    });
    bindRoute(router, kit, callback, async ({ query, ctx, ip }) => {
      const { staffId } = await calendarConnections.callback({ provider, query: query as Record<string, string | undefined>, requestId: ctx.requestId, ip: ip ?? null });
      ctx.auditSubject = { type: 'staff', id: staffId };
      return { body: CONNECTED_PAGE(label), headers: PAGE_HEADERS };
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

  bindRoute(router, kit, routes.createCalendarEvent, async ({ body, ctx, ip }) => {
    const actor = staffActor(ctx, ip);
    ctx.auditSubject = body.client_id === undefined ? { type: 'staff', id: actor.staffId } : { type: 'contact', id: body.client_id };
    const event = await calendarEventWriter.create(actor.staffId, body);
    return { body: { ok: true as const, event } };
  });
}
