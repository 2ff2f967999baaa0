/**
 * Verify CareOS webhooks in your own server. No runtime dependencies.
 *
 * @packageDocumentation
 */
export { WebhookVerificationError } from './errors.js';
export { signLegacy, type LegacyHeaders } from './legacy.js';
export { sign, verify, type HeaderSource, type RawPayload, type VerifyOptions } from './standard.js';
