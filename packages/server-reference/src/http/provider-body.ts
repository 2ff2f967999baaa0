import { ErrorCode, ErrorText, type RouteSpec } from '@careos/contract';
import express, { type NextFunction, type Request, type Response } from 'express';
import { unsafeJson, unsafeMessage } from './body-guards.js';
import { HttpError, invalid } from './errors.js';
import { bodyParserError, hasBody, isJsonContentType } from './json-body.js';

/**
 * Bodies of the routes providers call (Twilio, SendGrid). Their signature covers the bytes
 * sent, so the body is read raw first — before authentication, whatever its type — and parsed
 * only once the signature holds (see `providerAuth`).
 */

const RAW = Symbol('careos.rawBody');

type WithRaw = Request & { [RAW]?: Buffer };

/** The raw body read by {@link readRawBody} (empty when the request had none). */
export function rawBodyOf(req: Request): Buffer {
  return (req as WithRaw)[RAW] ?? Buffer.alloc(0);
}

/**
 * Reads the whole body as bytes, up to `limitBytes` (after decompression): 413 above it. Any
 * content type is read; whether it is the right one is decided after authentication.
 */
export function readRawBody(limitBytes: number) {
  const parse = express.raw({ limit: limitBytes, type: () => true });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!hasBody(req)) {
      (req as WithRaw)[RAW] = Buffer.alloc(0);
      next();
      return;
    }
    parse(req, res, (error?: unknown) => {
      if (error) {
        next(bodyParserError(error, limitBytes));
        return;
      }
      (req as WithRaw)[RAW] = Buffer.isBuffer(req.body) ? (req.body as Buffer) : Buffer.alloc(0);
      req.body = undefined;
      next();
    });
  };
}

/** `application/x-www-form-urlencoded`, parameters ignored. */
export function isFormContentType(value: string | undefined): boolean {
  return (value ?? '').split(';', 1)[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/**
 * Form parameters as one string per name (the last one for a repeated name, which Twilio never
 * sends for the fields we read).
 */
export function formFields(raw: Buffer): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(raw.toString('utf8'))) fields[name] = value;
  return fields;
}

/**
 * Parses the raw body as the route declares it (`bodyEncoding`): a form into an object of
 * strings, JSON into its value. 415 for another content type, 400 for JSON that does not parse
 * or a value PostgreSQL cannot store (NUL, lone surrogates, deep nesting).
 */
export function providerBody(route: RouteSpec) {
  const form = route.bodyEncoding === 'form';
  return (req: Request, _res: Response, next: NextFunction): void => {
    const raw = rawBodyOf(req);
    if (raw.length === 0) {
      req.body = undefined;
      next();
      return;
    }
    const contentType = req.headers['content-type'];
    if (form ? !isFormContentType(contentType) : !isJsonContentType(contentType)) {
      next(
        new HttpError(415, {
          error: form ? ErrorText.unsupportedFormMediaType : ErrorText.unsupportedMediaType,
          code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          message: form ? 'Send the body as a form with Content-Type: application/x-www-form-urlencoded' : 'Send the body as JSON with Content-Type: application/json',
        }),
      );
      return;
    }
    let body: unknown;
    if (form) body = formFields(raw);
    else {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        next(new HttpError(400, { error: ErrorText.malformedJson, code: ErrorCode.VALIDATION_FAILED, message: 'The body is not valid JSON' }));
        return;
      }
    }
    const reason = unsafeJson(body);
    if (reason) {
      next(invalid('body', unsafeMessage(reason)));
      return;
    }
    req.body = body;
    next();
  };
}
