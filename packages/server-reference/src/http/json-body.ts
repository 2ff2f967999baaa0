import { ErrorCode, ErrorText } from '@careos/contract';
import express, { type NextFunction, type Request, type Response } from 'express';
import { unsafeJson, unsafeMessage } from './body-guards.js';
import { HttpError, invalid } from './errors.js';

/** Whether the request carries a body at all. */
export function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

/** `application/json` or any `application/*+json`, parameters ignored. */
export function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const type = value.split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * Reads a JSON body up to `limitBytes` (after decompression): 415 for a body in another
 * content type, 413 above the limit, 400 for malformed JSON or JSON PostgreSQL cannot store.
 * A request without a body gets `req.body = undefined`.
 */
export function jsonBody(limitBytes: number) {
  const parse = express.json({ limit: limitBytes, strict: false, type: () => true });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!hasBody(req)) {
      req.body = undefined;
      next();
      return;
    }
    if (!isJsonContentType(req.headers['content-type'])) {
      next(new HttpError(415, { error: ErrorText.unsupportedMediaType, code: ErrorCode.UNSUPPORTED_MEDIA_TYPE, message: 'Send the body as JSON with Content-Type: application/json' }));
      return;
    }
    parse(req, res, (error?: unknown) => {
      if (error) {
        next(bodyParserError(error, limitBytes));
        return;
      }
      const reason = unsafeJson(req.body);
      next(reason ? invalid('body', unsafeMessage(reason)) : undefined);
    });
  };
}

/** Maps body-parser's errors (identified by `type`) onto the error envelope. */
export function bodyParserError(error: unknown, limitBytes: number): HttpError | unknown {
  const type = (error as { type?: string }).type;
  switch (type) {
    case 'entity.too.large':
      return new HttpError(413, { error: ErrorText.payloadTooLarge, code: ErrorCode.PAYLOAD_TOO_LARGE, message: `The body may be at most ${limitBytes} bytes` });
    case 'entity.parse.failed':
      return new HttpError(400, { error: ErrorText.malformedJson, code: ErrorCode.VALIDATION_FAILED, message: 'The body is not valid JSON' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, {
        error: ErrorText.unsupportedMediaType,
        code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        message: 'Use UTF-8 JSON, optionally gzip, deflate or br encoded',
      });
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.not.readable':
      return new HttpError(400, { error: ErrorText.malformedJson, code: ErrorCode.VALIDATION_FAILED, message: 'The body was not received completely' });
    default: {
      const status = (error as { status?: number }).status;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        return new HttpError(400, { error: ErrorText.malformedJson, code: ErrorCode.VALIDATION_FAILED, message: 'The body could not be read' });
      }
      return error;
    }
  }
}
