import { parseVerified, type Verification } from '../core/verified.js';
import type { HeaderSource, RawPayload, VerifiedWebhook, VerifyOptions } from '../types.js';
import { legacyVerification } from './legacy.js';
import { standardVerification } from './standard.js';

function verification(payload: RawPayload, headers: HeaderSource, secrets: string | readonly string[], options: VerifyOptions): Verification {
  return options.scheme === 'legacy' ? legacyVerification(payload, headers, secrets, options) : standardVerification(payload, headers, secrets, options);
}

/**
 * Verifies a delivery and returns its body as text. Checks the Standard Webhooks headers by
 * default, or the legacy `X-CareOS-Signature` ones with `{ scheme: 'legacy' }`.
 *
 * @param payload - the raw body: a string, `Buffer`, `Uint8Array` or `ArrayBuffer`, never a parsed object
 * @param headers - `req.headers`, a Fetch `Headers`, or any object of header names (any case)
 * @param secrets - the endpoint's `whsec_…` secret, or several during a rotation (any may match)
 * @param options - tolerance (default 300 s, both directions), clock, scheme
 * @returns the body as text, ready for `JSON.parse`
 * @throws {@link WebhookVerificationError} whose `code` and message say what was wrong
 *
 * @example
 * ```ts
 * const text = verify(req.body, req.headers, process.env.CAREOS_WEBHOOK_SECRET!);
 * const event = JSON.parse(text);
 * ```
 */
export function verify(payload: RawPayload, headers: HeaderSource, secrets: string | readonly string[], options: VerifyOptions = {}): string {
  return verification(payload, headers, secrets, options).body;
}

/**
 * Verifies a legacy delivery (`X-CareOS-Signature`, or `X-LoveRescue-Signature` as the seed
 * named it) and returns its body as text; the same as `verify` with `{ scheme: 'legacy' }`.
 * The tolerance is checked against `X-CareOS-Timestamp`. That header is not covered by the
 * legacy signature, so prefer the standard scheme where you can: its timestamp is signed.
 *
 * @param payload - the raw body, never a parsed object
 * @param headers - the request headers
 * @param secrets - the endpoint's secret exactly as issued (`whsec_` included), or several
 * @param options - tolerance and clock; `scheme` is ignored
 * @returns the body as text
 * @throws {@link WebhookVerificationError}
 */
export function verifyLegacy(payload: RawPayload, headers: HeaderSource, secrets: string | readonly string[], options: Omit<VerifyOptions, 'scheme'> = {}): string {
  return legacyVerification(payload, headers, secrets, options).body;
}

/**
 * Verifies a delivery like `verify`, then parses the JSON body and returns it with the
 * delivery's id, type and signing time: what a handler needs.
 *
 * @typeParam T - the event type you expect (not checked at run time)
 * @param payload - the raw body, never a parsed object
 * @param headers - the request headers
 * @param secrets - one secret, or several during a rotation
 * @param options - tolerance, clock, scheme
 * @throws {@link WebhookVerificationError}, with code `INVALID_JSON` when the signed body is not JSON
 */
export function verifyWebhook<T = unknown>(payload: RawPayload, headers: HeaderSource, secrets: string | readonly string[], options: VerifyOptions = {}): VerifiedWebhook<T> {
  return parseVerified<T>(verification(payload, headers, secrets, options));
}
