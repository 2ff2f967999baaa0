import type { NextFunction, Request, RequestHandler, Response } from 'express';

const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';
/** Response headers a browser script may read besides the simple ones. */
const EXPOSED_HEADERS = [
  'X-Request-Id',
  'Idempotent-Replayed',
  'Retry-After',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
].join(', ');
/** How long a browser may cache a preflight answer, seconds. */
const PREFLIGHT_MAX_AGE = '600';
/** A header list as `Access-Control-Request-Headers` carries it: names and commas only. */
const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;

/**
 * CORS for the origins of `ALLOWED_ORIGINS`. An allowed origin is echoed in
 * `Access-Control-Allow-Origin` (with `Vary: Origin`), or `*` when the list is `*`; credentials
 * are never allowed (`Access-Control-Allow-Credentials` is not sent): the API takes its
 * credentials in headers, never in cookies, so a page has nothing to send with credentials mode.
 * A preflight (`OPTIONS` with `Access-Control-Request-Method`) from an allowed origin is answered
 * 204 here; any other request goes on with the headers set, so even its errors are readable by
 * the page. Origins not in the list, and every request when the list is empty, get no CORS header.
 */
export function corsMiddleware(allowed: readonly string[]): RequestHandler {
  const anyOrigin = allowed.includes('*');
  const origins = new Set(allowed);
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (origins.size === 0 || origin === undefined) return next();
    res.vary('Origin');
    if (!anyOrigin && !origins.has(origin)) return next();
    res.setHeader('Access-Control-Allow-Origin', anyOrigin ? '*' : origin);
    const preflightMethod = req.headers['access-control-request-method'];
    if (req.method !== 'OPTIONS' || preflightMethod === undefined) {
      res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
      return next();
    }
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
    const requested = req.headers['access-control-request-headers'];
    // Any header may be sent: what a route accepts is checked by the route, not by the browser.
    if (requested && HEADER_LIST.test(requested)) res.setHeader('Access-Control-Allow-Headers', requested);
    res.setHeader('Access-Control-Max-Age', PREFLIGHT_MAX_AGE);
    res.vary('Access-Control-Request-Headers');
    res.status(204).end();
  };
}
