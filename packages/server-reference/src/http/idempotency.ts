import type { RouteSpec } from '@careos/contract';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { fingerprint as requestFingerprint } from '../domain/canonical-json.js';
import type { IdempotencyService } from '../services/idempotency.js';
import { requestContext } from './context.js';
import { invalid } from './errors.js';

const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on the POSTs that honour it (`acceptsIdempotencyKey` in the contract,
 * DESIGN §4.3): the first request with a key runs and its outcome is stored before it is sent;
 * a repeat with the same body (compared without the route's `fingerprintExcludes`) gets that
 * outcome again with `Idempotent-Replayed: true`. A 5xx outcome is not stored, so the retry
 * runs again. The key is scoped to the authenticated caller.
 */
export function idempotency(route: RouteSpec, service: IdempotencyService, logger: Logger) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const raw = req.headers['idempotency-key'];
    if (raw === undefined) {
      next();
      return;
    }
    if (typeof raw !== 'string' || !KEY_PATTERN.test(raw)) {
      throw invalid('headers', 'Idempotency-Key must be 1-255 printable ASCII characters', [
        { path: 'Idempotency-Key', message: 'Must be 1-255 printable ASCII characters' },
      ]);
    }
    const ctx = requestContext(res);
    const scope = ctx.partner
      ? `partner:${ctx.partner.partnerId}`
      : ctx.staff
        ? `staff:${ctx.staff.staffId}`
        : ctx.integration
          ? `integration:${ctx.integration.apiKeyId}:${ctx.integration.therapistId}`
          : null;
    // Not reached on the routes the contract mounts this on; a new kind of caller is let through, the key unused.
    if (scope === null) {
      next();
      return;
    }
    // The route's own rule of what a resend may change (e.g. a re-encrypted phone), as for its natural key.
    // Path parameters are part of the request: one key reused on another record is a conflict, not a replay.
    const params = Object.keys(req.params ?? {}).length ? ` ${JSON.stringify(req.params)}` : '';
    const fingerprint = requestFingerprint(req.body ?? null, { context: `${route.method} ${route.path}${params}`, exclude: route.fingerprintExcludes ?? [] });
    const decision = await service.begin({ scope, key: raw, fingerprint });
    if (decision.kind === 'replay') {
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(decision.status).json(decision.body);
      return;
    }
    const send = res.json.bind(res);
    res.json = (body: unknown) => {
      const status = res.statusCode;
      const settle = status >= 500 ? service.release(scope, raw) : service.complete(scope, raw, status, body);
      settle
        .catch((error: unknown) => logger.error({ req_id: ctx.requestId, err_message: (error as Error).message }, 'could not store idempotent outcome'))
        .finally(() => send(body));
      return res;
    };
    next();
  };
}
