import { documentedStatuses, ErrorCode, ErrorEnvelope, ErrorText, RateLimitedEnvelope, routeList, type ErrorStatus, type RouteSpec } from '@careos/contract';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { requestContext } from './context.js';

/** The log message of every response that breaks the contract; tests assert it never appears. */
export const CONTRACT_VIOLATION = 'contract violation';

/**
 * Paths served outside the route table: the OpenAPI document, the docs page, and the sandbox
 * calendar provider (a stand-in third party answering in OAuth's and Google's shapes).
 */
const OUTSIDE_TABLE = /^\/(openapi\.json|docs(\/.*)?|sandbox\/calendar\/.*)$/;

/** Each route's path as a pattern, for requests that failed before routing named their route. */
const PATTERNS = (routeList as readonly RouteSpec[]).map((route) => ({
  route,
  pattern: new RegExp(`^${route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[A-Za-z0-9_]+\}/g, '[^/]+')}/?$`, 'i'),
}));

/**
 * What may answer a request no route took: the 404 for an unknown path (a wrong method on a
 * known path included), a 400 when a path parameter cannot be decoded (the router refuses
 * it before any route runs), and the 500/503 every route documents.
 */
function unroutedStatuses(path: string): Set<number> {
  const statuses = new Set([404, 500, 503]);
  if (PATTERNS.some(({ route, pattern }) => route.params && pattern.test(path))) statuses.add(400);
  return statuses;
}

/** The schema a route's answer at `status` must match. */
function schemaFor(route: RouteSpec | null, status: number): z.ZodType {
  if (route && status === route.status) return route.response;
  const alternative = route?.alternatives?.[status as ErrorStatus];
  if (alternative) return alternative.response;
  return status === 429 ? RateLimitedEnvelope : ErrorEnvelope;
}

/** Why a response breaks the contract, or `null` when it keeps it. */
export function contractProblem(route: RouteSpec | null, path: string, status: number, body: unknown): string | null {
  const allowed = route ? documentedStatuses(route) : unroutedStatuses(path);
  const where = route ? `${route.id} (${route.method} ${route.path})` : 'a request no route took';
  if (!allowed.has(status)) return `${where} answered ${status}, which is not documented (documented: ${[...allowed].sort().join(', ')})`;
  // What the client receives, not the object before serialisation (dates become strings, undefined fields vanish).
  const sent: unknown = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
  const check = schemaFor(route, status).safeParse(sent);
  if (check.success) return null;
  const paths = check.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
  return `${where} answered ${status} with a body that does not match its schema at ${paths}`;
}

/**
 * Checks every JSON response against the route table before it is sent (turned on by
 * `validateResponses`, as tests do): the status must be one the route documents (its own
 * errors plus those its declaration implies, see `routeErrors`) and the body must match that
 * status's schema — errors from authentication, rate limits, body parsing, validation, the
 * error handler and the 404 included. A violation is logged at error level as
 * {@link CONTRACT_VIOLATION} and answered as a 500, so the test that caused it fails loudly.
 * A response on a table path that is sent without JSON is logged the same way.
 */
export function contractCheck(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const path = req.path;
    if (OUTSIDE_TABLE.test(path)) {
      next();
      return;
    }
    const ctx = requestContext(res);
    let checked = false;
    const send = res.json.bind(res);
    res.json = (body: unknown) => {
      if (checked) return send(body);
      checked = true;
      const problem = contractProblem(ctx.route, path, res.statusCode, body);
      if (!problem) return send(body);
      logger.error({ req_id: ctx.requestId, method: req.method, route: ctx.route?.id ?? 'unmatched', status: res.statusCode, problem }, CONTRACT_VIOLATION);
      res.status(500);
      return send({ error: ErrorText.internal, code: ErrorCode.INTERNAL_ERROR, message: `The response broke the API contract: ${problem}`, request_id: ctx.requestId });
    };
    res.once('finish', () => {
      // TwiML answers are XML by contract (`responseEncoding`); their errors are still JSON.
      const xml = (ctx.route?.responseEncoding === 'xml' || ctx.route?.responseEncoding === 'html' || ctx.route?.responseEncoding === 'text') && res.statusCode === ctx.route.status;
      if (!checked && !xml) logger.error({ req_id: ctx.requestId, method: req.method, route: ctx.route?.id ?? 'unmatched', status: res.statusCode, problem: 'sent without JSON' }, CONTRACT_VIOLATION);
    });
    next();
  };
}
