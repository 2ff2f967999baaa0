import type { RouteSpec } from '@careos/contract';
import type { NextFunction, Request, Response } from 'express';
import type { AuditService } from '../services/audit.js';
import { requestContext } from './context.js';

/**
 * Writes the audit row of an audited route when the response ends, whatever the outcome
 * (including 401s and aborted requests): actor, partner, method, route template, subject,
 * status, IP, request id. Never the body, the URL or a phone number.
 */
export function auditTrail(route: RouteSpec, audit: AuditService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (route.audit) {
      const ctx = requestContext(res);
      res.once('close', () => {
        audit.record({
          actorType: ctx.partner ? 'partner' : ctx.staff ? 'staff' : ctx.integration ? 'integration' : ctx.lookup ? 'lookup' : 'anonymous',
          actorId: ctx.partner?.keyId ?? ctx.staff?.staffId ?? ctx.integration?.apiKeyId ?? ctx.lookup?.keyId ?? null,
          partnerId: ctx.partner?.partnerId ?? ctx.integration?.partnerId ?? null,
          onBehalfOf: ctx.integration?.therapistId ?? null,
          method: req.method,
          route: route.path,
          subjectType: ctx.auditSubject?.type ?? null,
          subjectId: ctx.auditSubject?.id ?? null,
          status: res.writableFinished ? res.statusCode : 499,
          ip: req.socket.remoteAddress ?? null,
          requestId: ctx.requestId,
        });
      });
    }
    next();
  };
}
