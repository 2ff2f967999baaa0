import { acceptsIdempotencyKey, isProviderSigned, type RouteSpec } from '@careos/contract';
import type { NextFunction, Request, Response, Router } from 'express';
import type { z } from 'zod';
import { authenticate, clientAddress } from '../http/auth.js';
import { requestContext, type RequestContext } from '../http/context.js';
import { idempotency } from '../http/idempotency.js';
import { jsonBody } from '../http/json-body.js';
import { providerBody, readRawBody } from '../http/provider-body.js';
import { validateRequest } from '../http/validate.js';
import type { HttpKit } from './http-kit.js';

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler receives: the route's validated parts and the request context. */
export interface HandlerInput<R extends RouteSpec> {
  params: Out<R['params']>;
  query: Out<R['query']>;
  headers: Out<R['headers']>;
  body: Out<R['body']>;
  ctx: RequestContext;
  /** The caller's address (for checks such as an integration partner's IP allowlist). */
  ip: string | undefined;
}

/** One of a route's documented alternative answers (e.g. the lookup's 404 `{ found: false }`), with its status. */
type AlternativeResult<R extends RouteSpec> = R extends { alternatives: infer A }
  ? { [S in keyof A]: { status: S; body: A[S] extends { response: infer T extends z.ZodType } ? z.input<T> : never } }[keyof A]
  : never;

/**
 * What a handler returns: the success body (sent with the route's status) or one of the
 * route's alternative answers with its status, and whether it replays an earlier outcome.
 */
export type HandlerResult<R extends RouteSpec> = ({ status?: undefined; body: z.input<R['response']> } | AlternativeResult<R>) & {
  replayed?: boolean;
  /** Extra response headers (e.g. rate-limit headers a handler counted itself). */
  headers?: Record<string, string>;
};

/** A route's business logic: plain input, plain output; errors are thrown. */
export type Handler<R extends RouteSpec> = (input: HandlerInput<R>) => Promise<HandlerResult<R>>;

/**
 * Mounts one contract route: path and method from the table, then the cross-cutting chain in
 * the order the API promises — authentication, rate limit, body, idempotency key, validation —
 * and finally the handler, whose result is sent with the route's status. The audit hook runs
 * before all of them, at the app level (see `auditTrail`), so refusals are audited too.
 *
 * A route a provider calls (Twilio, SendGrid) authenticates by a signature over the body, so
 * there the raw body is read first, the signature checked, and only then the body parsed.
 */
export function bindRoute<R extends RouteSpec>(router: Router, kit: HttpKit, route: R, handler: Handler<R>): void {
  const chain = [
    (_req: Request, res: Response, next: NextFunction) => {
      requestContext(res).route = route;
      next();
    },
    ...(isProviderSigned(route)
      ? [readRawBody(kit.config.bodyLimitBytes), kit.providerSignatures.middleware(route)]
      : [authenticate(route, kit.services)]),
    kit.rateLimits.middleware(route),
    ...(route.body ? [isProviderSigned(route) ? providerBody(route) : jsonBody(Math.max(kit.config.bodyLimitBytes, route.bodyLimitBytes ?? 0))] : []),
    ...(acceptsIdempotencyKey(route) ? [idempotency(route, kit.services.idempotency, kit.logger)] : []),
    validateRequest(route),
    async (req: Request, res: Response) => {
      const ctx = requestContext(res);
      const input = ctx.input!;
      const result = await handler({ params: input.params, query: input.query, headers: input.headers, body: input.body, ctx, ip: clientAddress(req) } as HandlerInput<R>);
      // With `validateResponses`, http/contract-check.ts checks this answer like every other.
      const status: number = result.status ?? route.status;
      if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
      for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
      if (route.responseEncoding === 'xml') res.status(status).type('text/xml; charset=utf-8').send(result.body);
      else if (route.responseEncoding === 'html') res.status(status).type('text/html; charset=utf-8').send(result.body);
      else if (route.responseEncoding === 'text') res.status(status).type('text/plain; charset=utf-8').send(result.body);
      else res.status(status).json(result.body);
    },
  ];
  const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  router[method](kit.expressPath(route.path), ...chain);
}
