import { ErrorCode, ErrorText } from '@careos/contract';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { DomainError } from '../domain/errors.js';
import { requestContext } from './context.js';
import { HttpError, sendError, statusForCode } from './errors.js';

/**
 * Last middleware: turns every error into the envelope. Expected errors keep their status;
 * anything else is a 500 "Internal server error", logged with its stack (never the body).
 */
export function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const ctx = requestContext(res);
    if (res.headersSent) {
      logger.error({ req_id: ctx.requestId, err_message: (error as Error)?.message }, 'error after the response started');
      res.destroy();
      return;
    }
    if (error instanceof DomainError) {
      sendError(res, statusForCode(error.code), {
        error: error.error,
        code: error.code,
        ...(error.hint ? { message: error.hint } : {}),
        ...(error.details?.length ? { details: error.details } : {}),
      });
      return;
    }
    if (error instanceof HttpError) {
      for (const [name, value] of Object.entries(error.extra.headers ?? {})) res.setHeader(name, value);
      sendError(res, error.status, error.fields, error.extra.body);
      return;
    }
    // Express's own client errors, e.g. an undecodable %-escape in a path parameter.
    const status = (error as { status?: number; statusCode?: number })?.status ?? (error as { statusCode?: number })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      sendError(res, 400, { error: error instanceof URIError ? ErrorText.invalidParams : ErrorText.invalidBody, code: ErrorCode.VALIDATION_FAILED, message: 'The request could not be read' });
      return;
    }
    logger.error(
      { req_id: ctx.requestId, method: req.method, route: ctx.route?.path ?? 'unmatched', err_name: (error as Error)?.name, err_message: (error as Error)?.message, stack: (error as Error)?.stack },
      'unhandled error',
    );
    sendError(res, 500, { error: ErrorText.internal, code: ErrorCode.INTERNAL_ERROR });
  };
}

/** 404 envelope for a path no route matches. */
export function notFound(_req: Request, res: Response): void {
  sendError(res, 404, { error: ErrorText.routeNotFound, code: ErrorCode.NOT_FOUND, message: 'See /openapi.json for the routes this server offers' });
}
