import { routes } from '@careos/contract';
import type { Router } from 'express';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/** The audit trail for admins: its rows, and a check of its hash chain. */
export function bindAuditAdminRoutes(router: Router, kit: HttpKit): void {
  const { audit } = kit.services;

  bindRoute(router, kit, routes.listAuditLog, async ({ query }) => {
    const page = await audit.list({ limit: query.limit, cursor: query.cursor, actorId: query.actor_id, subjectId: query.subject_id });
    return { body: { entries: page.entries, next_cursor: page.nextCursor } };
  });

  bindRoute(router, kit, routes.verifyAuditLog, async () => ({ body: await audit.verifyChain() }));
}
