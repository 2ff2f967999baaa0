import { routes } from '@careos/contract';
import type { Router } from 'express';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/** Admin and sandbox routes of the lookup: its API keys, and cases to find. */
export function bindLookupAdminRoutes(router: Router, kit: HttpKit): void {
  const { keys, cases } = kit.services.lookup;

  bindRoute(router, kit, routes.listLookupKeys, async () => ({ body: { keys: await keys.list() } }));

  bindRoute(router, kit, routes.createLookupKey, async ({ body, ctx }) => {
    const issued = await keys.create({ name: body.name, environment: body.environment });
    ctx.auditSubject = { type: 'lookup_key', id: issued.key.id };
    return { body: { api_key: issued.apiKey, key: issued.key } };
  });

  bindRoute(router, kit, routes.revokeLookupKey, async ({ params, ctx }) => {
    ctx.auditSubject = { type: 'lookup_key', id: params.keyId };
    return { body: { key: await keys.revoke(params.keyId) } };
  });

  bindRoute(router, kit, routes.createLookupCase, async ({ body, ctx }) => {
    const created = await cases.create(body);
    ctx.auditSubject = { type: 'case', id: created.case_id };
    return { body: created };
  });
}
