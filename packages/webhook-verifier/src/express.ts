/**
 * Express middleware that verifies CareOS webhooks on the route it is mounted on. Express is
 * not a dependency: the middleware uses only Node's `http` types, so it works with Express 4
 * and 5 (and connect-style servers).
 *
 * @packageDocumentation
 */
import type { VerifiedWebhook } from './types.js';

export { webhookMiddleware, type WebhookMiddleware, type WebhookMiddlewareOptions, type WebhookMiddlewareRequest } from './express/middleware.js';
export { WebhookVerificationError, type WebhookErrorCode } from './errors.js';
export type { VerifiedWebhook, VerifyOptions, WebhookScheme } from './types.js';

// Gives `req.webhook` its type in Express handlers that follow the middleware.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The verified CareOS delivery, set by `webhookMiddleware`. */
      webhook?: VerifiedWebhook;
    }
  }
}
