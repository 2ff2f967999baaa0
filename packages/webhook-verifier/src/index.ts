/**
 * Verify CareOS webhooks in your own server. No runtime dependencies.
 *
 * @packageDocumentation
 */
export { WebhookVerificationError } from './errors.js';
export { sign, verify, type HeaderSource, type RawPayload, type VerifyOptions } from './standard.js';
