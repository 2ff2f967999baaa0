/**
 * Verify CareOS webhooks in Node: synchronous, with each secret's key parsed once and cached.
 * For Workers, Deno, Bun and other runtimes without `node:crypto`, use
 * `@careos/webhook-verifier/web`; for an Express route, `@careos/webhook-verifier/express`.
 * No runtime dependencies.
 *
 * @packageDocumentation
 */
export { WebhookVerificationError, type WebhookErrorCode } from './errors.js';
export { signLegacy, type SignLegacyOptions } from './node/legacy.js';
export { sign, type SignOptions } from './node/standard.js';
export { createTestHeaders } from './node/test-headers.js';
export { verify, verifyLegacy, verifyWebhook } from './node/verify.js';
export type {
  HeaderSource,
  LegacyHeaders,
  RawPayload,
  StandardWebhookHeaders,
  TestHeaderOptions,
  VerifiedWebhook,
  VerifyOptions,
  WebhookScheme,
  WebhookTestHeaders,
} from './types.js';
