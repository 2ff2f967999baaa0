import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { newId } from '../domain/ids.js';
import { initContext } from './context.js';

/** A caller's request id is echoed only if it is short and plain. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:\-]{1,128}$/;

/**
 * First middleware: assigns the request id (echoing a sane `X-Request-Id`), sets it on the
 * response, and logs one line per request when it ends — method, route template, status,
 * duration, request id, partner. Never the URL, headers or body: they can carry PHI.
 */
export function requestContextMiddleware(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : newId('req');
    const ctx = initContext(res, requestId);
    res.setHeader('X-Request-Id', requestId);
    res.once('close', () => {
      const line = {
        req_id: requestId,
        method: req.method,
        route: ctx.route?.path ?? 'unmatched',
        status: res.statusCode,
        ms: Math.round((performance.now() - ctx.startedAt) * 100) / 100,
        ...(ctx.partner ? { partner: ctx.partner.platform } : {}),
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      if (res.statusCode >= 500) logger.error(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}
