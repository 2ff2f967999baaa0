import type { RouteSpec } from '@careos/contract';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { canonicalJson } from '../domain/canonical-json.js';
import type { IdempotencyService } from '../services/idempotency.js';
import { createHash } from 'node:crypto';
import { requestContext } from './context.js';
import { invalid } from './errors.js';

const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on POSTs (DESIGN §4.3): the first request with a key runs and its outcome
 * is stored before it is sent; a repeat with the same body gets that outcome again with
 * `Idempotent-Replayed: true`. A 5xx outcome is not stored, so the retry runs again.
 *
 * Unauthenticated POSTs (staff login, the integration token exchange) ignore the header: there
 * is no caller to scope the key to, their outcome is a fresh credential that must not sit in the
 * idempotency table for a day, and exchanging credentials again is harmless anyway.
 * Lookups (`POST /api/lookup`) ignore it too: a read has nothing to deduplicate, a replayed
 * answer could hide a newer case, and patient data must not sit in that table for a day.
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
    if (scope === null) {
      next();
      return;
    }
    const fingerprint = createHash('sha256').update(`${route.method} ${route.path}\n${canonicalJson(req.body ?? null)}`).digest('hex');
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
