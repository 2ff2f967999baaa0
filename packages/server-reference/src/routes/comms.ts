import { routes } from '@careos/contract';
import type { Router } from 'express';
import { staffActor } from './actor.js';
import { bindRoute } from './bind.js';
import type { HttpKit } from './http-kit.js';

/**
 * Communications: SMS and email to clients. The route's own audit row names the client; the
 * service writes the `SMS_SENT` / `EMAIL_SENT` rows with the messages it queues.
 */
export function bindCommsRoutes(router: Router, kit: HttpKit): void {
  const { comms } = kit.services;

  bindRoute(router, kit, routes.sendComms, async ({ body, ctx, ip }) => {
    ctx.auditSubject = { type: 'contact', id: body.client_id };
    const sent = await comms.send(body, staffActor(ctx, ip));
    const c = sent.communication;
    return {
      body: {
        ok: true as const,
        id: c.id,
        status: c.status,
        ...(sent.encoding !== null && sent.segments !== null ? { encoding: sent.encoding, segments: sent.segments } : {}),
        generic_notice: sent.genericNotice,
        communication: c,
      },
    };
  });

  bindRoute(router, kit, routes.sendBulkComms, async ({ body, ctx, ip }) => {
    const { batchId, content, results } = await comms.sendBulk(body, staffActor(ctx, ip));
    const queued = results.filter((r) => r.status === 'queued').length;
    return {
      body: {
        ok: true as const,
        batch_id: batchId,
        queued,
        not_queued: results.length - queued,
        ...(content.size ? { encoding: content.size.encoding, segments: content.size.segments } : {}),
        results,
      },
    };
  });

  bindRoute(router, kit, routes.getComms, async ({ params, ctx }) => {
    const communication = await comms.get(params.id);
    if (communication.client_id) ctx.auditSubject = { type: 'contact', id: communication.client_id };
    return { body: { communication } };
  });

  bindRoute(router, kit, routes.listComms, async ({ query, ctx }) => {
    ctx.auditSubject = { type: 'contact', id: query.client_id };
    const page = await comms.list({ clientId: query.client_id, type: query.type, limit: query.limit, cursor: query.cursor });
    return { body: { communications: page.communications, next_cursor: page.nextCursor } };
  });
}
