import { routes } from '@careos/contract';
import type { Router } from 'express';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/** Staff login. */
export function bindAuthRoutes(router: Router, kit: HttpKit): void {
  bindRoute(router, kit, routes.login, async ({ body }) => ({ body: await kit.services.staff.login(body.email, body.password) }));
}
