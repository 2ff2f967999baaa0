import { buildOpenApi, ErrorCode, ErrorText, routes, type OpenApiDocument } from '@careos/contract';
import type { Request, Response, Router } from 'express';
import { DomainError } from '../domain/errors.js';
import { bindRoute } from './bind.js';
import { bindDocsPage } from './docs-page.js';
import type { HttpKit } from './http-kit.js';

const openApiCache = new Map<string, OpenApiDocument>();

/** The server's own base URL as the caller reached it (falls back when the Host header is odd). */
function baseUrl(req: Request): string {
  const host = req.headers.host ?? '';
  return /^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9a-fA-F:.]+\](:\d{1,5})?$/.test(host) ? `${req.protocol}://${host}` : 'http://localhost';
}

/** `/health`, `/health/ready`, `/openapi.json` and the `/docs` page that renders it. */
export function bindMetaRoutes(router: Router, kit: HttpKit): void {
  bindRoute(router, kit, routes.health, async () => {
    const health = await kit.services.health.check();
    if (health.database !== 'ok') {
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, ErrorText.serviceUnavailable, { message: 'The database is not answering' });
    }
    return { body: health };
  });

  bindRoute(router, kit, routes.readiness, async () => {
    const health = await kit.services.health.check();
    if (health.database !== 'ok') {
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, ErrorText.serviceUnavailable, { message: 'The database is not answering' });
    }
    return { body: { status: 'ready' as const, database: 'ok' as const, rate_limits: await kit.rateLimits.stores.status(true) } };
  });

  router.get('/openapi.json', (req: Request, res: Response) => {
    const serverUrl = baseUrl(req);
    let doc = openApiCache.get(serverUrl);
    if (!doc) {
      doc = buildOpenApi({ serverUrl });
      if (openApiCache.size > 16) openApiCache.clear();
      openApiCache.set(serverUrl, doc);
    }
    res.json(doc);
  });

  bindDocsPage(router);
}
