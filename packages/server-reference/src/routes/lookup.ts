import { routes } from '@careos/contract';
import type { Router } from 'express';
import type { RequestContext } from '../http/context.js';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/**
 * The CCaaS screen-pop lookup (GET and POST `/api/lookup`): the same answer either way. A
 * found case is the 200; no case is the seed's 404 `{ found: false }`, a documented outcome.
 * The audit row names the case found (or none), never the phone.
 */
export function bindLookupRoutes(router: Router, kit: HttpKit): void {
  const { cases } = kit.services.lookup;

  const lookup = async (phone: string, ctx: RequestContext) => {
    const outcome = await cases.lookup(phone);
    if (outcome.caseId !== null) ctx.auditSubject = { type: 'case', id: outcome.caseId };
    return outcome.body;
  };

  bindRoute(router, kit, routes.lookupPhone, async ({ query, ctx }) => {
    const body = await lookup(query.phone, ctx);
    return body.found ? { body } : { status: 404 as const, body };
  });

  bindRoute(router, kit, routes.lookupPhonePost, async ({ body: request, ctx }) => {
    const body = await lookup(request.phone, ctx);
    return body.found ? { body } : { status: 404 as const, body };
  });
}
