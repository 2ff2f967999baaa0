import type { IncomingMessage, ServerResponse } from 'node:http';
import { secretBase64, secretList } from '../core/secret.js';
import { WebhookVerificationError } from '../errors.js';
import { verifyWebhook } from '../node/verify.js';
import type { RawPayload, VerifiedWebhook, VerifyOptions } from '../types.js';
import { DEFAULT_LIMIT_BYTES, readRawBody } from './raw-body.js';

/** Options of {@link webhookMiddleware}. */
export interface WebhookMiddlewareOptions extends VerifyOptions {
  /** Largest body read, in bytes; a larger one is answered 413 `PAYLOAD_TOO_LARGE`. Default 1 MiB. */
  limit?: number;
}

/**
 * The request as the middleware sees it: Node's `IncomingMessage` plus the `body` a body parser
 * may have set and the `webhook` the middleware sets. Express's `Request` fits it, and so does
 * a plain `http` request.
 */
export type WebhookMiddlewareRequest = IncomingMessage & {
  /** Whatever an earlier body parser left here: a `Buffer` from `express.raw()` is used as is. */
  body?: unknown;
  /** The verified delivery, set before `next()` is called. */
  webhook?: VerifiedWebhook;
};

/** A connect/Express-style middleware function. */
export type WebhookMiddleware = (req: WebhookMiddlewareRequest, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * The raw body of `req`. A Buffer (or string) an earlier `express.raw()` / `express.text()` left
 * is the raw body; otherwise the stream is read here, which also covers Express 4's
 * `express.json()` leaving `{}` on a request whose content type it skipped.
 */
function rawBody(req: WebhookMiddlewareRequest, limit: number): Promise<RawPayload> | RawPayload {
  const body = req.body;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (!req.readableEnded) return readRawBody(req, limit);
  if (body !== undefined && body !== null) return body as RawPayload; // parsed: verify explains
  throw new WebhookVerificationError(
    'BODY_ALREADY_READ',
    'The request body was read by an earlier middleware that did not keep the bytes: mount the webhook middleware on the route before anything that reads the body.',
  );
}

function answer(res: ServerResponse, error: WebhookVerificationError): void {
  const body = JSON.stringify({ error: error.message, code: error.code });
  res.statusCode = error.code === 'PAYLOAD_TOO_LARGE' ? 413 : 400;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

/**
 * Express (4 or 5) middleware that verifies a CareOS delivery on one route. It reads the raw
 * body itself, so no app-wide body parser is needed (a route-level `express.raw()` also works),
 * sets the verified, parsed delivery on `req.webhook` and calls `next()`. A delivery that fails
 * verification is answered `400 { "error": <what went wrong and how to fix it>, "code": <stable code> }`
 * (`413` for a body over the limit) and goes no further. A body already parsed by `express.json()`
 * fails with `PAYLOAD_PARSED`, whose message says how to fix the route.
 *
 * The secrets are checked when the middleware is created, so a missing or mangled secret stops
 * the app at startup instead of failing every delivery.
 *
 * @param secrets - the endpoint's `whsec_…` secret, or several during a rotation
 * @param options - tolerance, scheme, body size limit
 * @throws {@link WebhookVerificationError} at creation when a secret is missing or malformed
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { webhookMiddleware } from '@careos/webhook-verifier/express';
 *
 * const app = express();
 * app.post('/webhooks/careos', webhookMiddleware(process.env.CAREOS_WEBHOOK_SECRET!), (req, res) => {
 *   console.log(req.webhook!.type, req.webhook!.event);
 *   res.sendStatus(204);
 * });
 * ```
 */
export function webhookMiddleware(secrets: string | readonly string[], options: WebhookMiddlewareOptions = {}): WebhookMiddleware {
  for (const secret of secretList(secrets)) secretBase64(secret);
  const limit = options.limit ?? DEFAULT_LIMIT_BYTES;
  return (req, res, next) => {
    const verified = (payload: RawPayload) => {
      try {
        req.webhook = verifyWebhook(payload, req.headers, secrets, options);
      } catch (error) {
        return fail(error);
      }
      next();
    };
    const fail = (error: unknown) => {
      if (error instanceof WebhookVerificationError && !res.headersSent) answer(res, error);
      else next(error);
    };
    let payload: Promise<RawPayload> | RawPayload;
    try {
      payload = rawBody(req, limit);
    } catch (error) {
      return fail(error);
    }
    if (payload instanceof Promise) payload.then(verified, fail);
    else verified(payload);
  };
}
