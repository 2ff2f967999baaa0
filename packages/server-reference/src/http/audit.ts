import { isAudited, routeList, type RouteSpec } from '@careos/contract';
import type { NextFunction, Request, Response } from 'express';
import type { AuditService } from '../services/audit.js';
import { requestContext, type RequestContext } from './context.js';

/** Recorded as the route of a request under an API prefix that matches no route of the table. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** Prefixes of the API: a request there that matches no route is still audited (a probe of `/admin`, say). */
const API_PREFIXES = ['/admin', '/api', '/auth'];

const templates = routeList.map((route) => ({
  route,
  pattern: new RegExp(`^${route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[A-Za-z0-9_]+\}/g, '[^/]+')}/?$`),
}));

/**
 * The route template of a request that never reached its route's handlers — Express refused
 * it while routing, e.g. an undecodable `%` escape in a path parameter, or a wrong method on a
 * known path (same method preferred). `null` when no route has this path.
 */
function templateOf(req: Request): RouteSpec | null {
  const candidates = templates.filter((t) => t.pattern.test(req.path));
  return (candidates.find((t) => t.route.method === req.method) ?? candidates[0])?.route ?? null;
}

/** What the row records as the route, or `null` when the request is not audited. */
function auditedRoute(req: Request, ctx: RequestContext): string | null {
  if (ctx.route) return isAudited(ctx.route) ? ctx.route.path : null;
  const known = templateOf(req);
  if (known) return isAudited(known) ? known.path : null;
  return API_PREFIXES.some((prefix) => req.path === prefix || req.path.startsWith(`${prefix}/`)) ? UNMATCHED_ROUTE : null;
}

/** Who the row names as acting: the credential the request authenticated with, if any. */
function actorOf(ctx: RequestContext): Pick<Parameters<AuditService['record']>[0], 'actorType' | 'actorId' | 'partnerId' | 'onBehalfOf'> {
  if (ctx.partner) return { actorType: 'partner', actorId: ctx.partner.keyId, partnerId: ctx.partner.partnerId };
  if (ctx.staff) return { actorType: 'staff', actorId: ctx.staff.staffId, partnerId: null };
  if (ctx.integration) return { actorType: 'integration', actorId: ctx.integration.apiKeyId, partnerId: ctx.integration.partnerId, onBehalfOf: ctx.integration.therapistId };
  if (ctx.lookup) return { actorType: 'lookup', actorId: ctx.lookup.keyId, partnerId: null };
  return { actorType: 'anonymous', actorId: null, partnerId: null };
}

/**
 * Second middleware of the app (right after the request id), so that every outcome leaves a
 * row, including refusals before any handler ran (401, 403, 429, 400 for a body that does not
 * parse, 404 on an API path): when the response ends, it records actor, partner, method,
 * route template, subject, status, IP and request id for every route of the table except
 * those that opt out (`audit: false`). Never the body, the URL, headers or a phone number.
 */
export function auditTrail(audit: AuditService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const ctx = requestContext(res);
    res.once('close', () => {
      const route = auditedRoute(req, ctx);
      if (route === null) return;
      audit.record({
        ...actorOf(ctx),
        method: req.method,
        route,
        subjectType: ctx.auditSubject?.type ?? null,
        subjectId: ctx.auditSubject?.id ?? null,
        status: res.writableFinished ? res.statusCode : 499,
        ip: req.socket.remoteAddress ?? null,
        requestId: ctx.requestId,
      });
    });
    next();
  };
}
