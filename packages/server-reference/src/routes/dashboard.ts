import { routes } from '@careos/contract';
import type { Router } from 'express';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/** `GET /dashboard`. */
export function bindDashboardRoutes(router: Router, kit: HttpKit): void {
  bindRoute(router, kit, routes.getDashboard, async () => ({ body: await kit.services.dashboard.get() }));
}
