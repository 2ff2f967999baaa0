import { routes } from '@careos/contract';
import type { Router } from 'express';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/** `POST /admin/integrations/test`: the third-party self-test (admin; audited by the route table's default). */
export function bindIntegrationCheckRoutes(router: Router, kit: HttpKit): void {
  bindRoute(router, kit, routes.testIntegrations, async ({ body }) => ({
    body: await kit.services.integrationChecks.run({ sendTest: body.send_test ?? false }),
  }));
}
