import { routes } from '@careos/contract';
import type { Router } from 'express';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/** Operations alert routes. `/alerts/count` is bound before `/alerts/{id}`, which would match it too. */
export function bindAlertRoutes(router: Router, kit: HttpKit): void {
  const { alerts } = kit.services;

  bindRoute(router, kit, routes.listAlerts, async ({ query }) => {
    const page = await alerts.page({ limit: query.limit, cursor: query.cursor, type: query.type, severity: query.severity, dismissed: query.dismissed });
    return { body: { alerts: page.alerts, next_cursor: page.nextCursor } };
  });

  bindRoute(router, kit, routes.countAlerts, async () => ({ body: await alerts.countActive() }));

  bindRoute(router, kit, routes.getAlert, async ({ params, ctx }) => {
    ctx.auditSubject = { type: 'alert', id: params.id };
    return { body: await alerts.get(params.id) };
  });

  bindRoute(router, kit, routes.dismissAlert, async ({ params, ctx }) => {
    ctx.auditSubject = { type: 'alert', id: params.id };
    return { body: await alerts.dismiss(params.id, ctx.staff!.staffId) };
  });
}
