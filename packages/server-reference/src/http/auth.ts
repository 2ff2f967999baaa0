import { allowedRoles, ErrorCode, ErrorText, type RouteSpec } from '@careos/contract';
import type { NextFunction, Request, Response } from 'express';
import type { IntegrationServices } from '../services/integration/index.js';
import type { LookupServices } from '../services/lookup/index.js';
import type { PartnerService } from '../services/partners.js';
import type { StaffService } from '../services/staff.js';
import { requestContext } from './context.js';
import { HttpError } from './errors.js';

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The caller's address as the socket reports it (no proxy headers are trusted). */
export function clientAddress(req: Request): string | undefined {
  return req.socket.remoteAddress;
}

/** `Authorization: Bearer <token>` → the token. */
export function bearerToken(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '');
  return match?.[1];
}

/**
 * The lookup key of a request: `x-api-key`, else `Authorization: Bearer <key>` (the lookup
 * seed accepts both, carrying the same key).
 */
export function lookupKey(req: Request): string | undefined {
  return header(req, 'x-api-key') || bearerToken(req);
}

/**
 * Authenticates a request as the route's scheme requires and records the identity in the
 * request context; routes with `auth: 'none'` pass through, unless they take an optional staff
 * token and one was sent.
 */
export function authenticate(route: RouteSpec, services: { partners: PartnerService; staff: StaffService; integration: IntegrationServices; lookup: LookupServices }) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const ctx = requestContext(res);
    if (route.auth === 'partnerKey') {
      ctx.partner = await services.partners.authenticate(header(req, 'x-api-key'), header(req, 'x-platform'));
    } else if (route.auth === 'staffJwt' || (route.optionalStaffToken && bearerToken(req) !== undefined)) {
      ctx.staff = await services.staff.verify(bearerToken(req));
      const roles = allowedRoles(route);
      if (!roles.includes(ctx.staff.role)) {
        throw new HttpError(403, { error: ErrorText.forbidden, code: ErrorCode.FORBIDDEN, message: `Requires role: ${roles.join(' or ')}` });
      }
    } else if (route.auth === 'integrationJwt') {
      // Re-checked on every call (key, partner, therapist, address): a suspension applies at once.
      ctx.integration = await services.integration.access.verifyToken(bearerToken(req), clientAddress(req));
    } else if (route.auth === 'lookupKey') {
      ctx.lookup = await services.lookup.keys.authenticate(lookupKey(req));
    }
    next();
  };
}
