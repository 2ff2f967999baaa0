/**
 * Verify CareOS webhooks in any runtime with Web Crypto: Cloudflare Workers, Deno, Bun,
 * Vercel/Next.js edge and Node. Uses only `crypto.subtle`, `TextEncoder` and `atob`/`btoa`
 * (no `node:` imports), so everything is asynchronous. Imported keys are cached per secret.
 *
 * @example
 * ```ts
 * import { verifyRequest, WebhookVerificationError } from '@careos/webhook-verifier/web';
 * ```
 *
 * @packageDocumentation
 */
export { WebhookVerificationError, type WebhookErrorCode } from './errors.js';
export { signLegacyAsync, type SignLegacyAsyncOptions } from './web/legacy.js';
export { signAsync, type SignAsyncOptions } from './web/standard.js';
export { createTestHeadersAsync } from './web/test-headers.js';
export { verifyAsync, verifyLegacyAsync, verifyRequest, verifyWebhookAsync, type WebhookRequestLike } from './web/verify.js';
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
