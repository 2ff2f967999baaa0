import { toBase64 } from '../core/base64.js';
import { equalStrings } from '../core/constant-time.js';
import { standardHeaders } from '../core/headers.js';
import { hashInput, textOf } from '../core/payload.js';
import { secretList } from '../core/secret.js';
import { NO_MATCH_STANDARD, v1Signatures } from '../core/signature-header.js';
import { checkTolerance, nowMs, unixSecondsHeader } from '../core/timestamp.js';
import type { Verification } from '../core/verified.js';
import { WebhookVerificationError } from '../errors.js';
import type { HeaderSource, RawPayload, StandardWebhookHeaders, VerifyOptions } from '../types.js';
import { hmacOfParts, importing, standardCryptoKey } from './subtle.js';

/** Options of {@link signAsync}. */
export interface SignAsyncOptions {
  /** The message id, sent as `webhook-id`; keep it the same across retries of one delivery. */
  id: string;
  /** Signing time; now when omitted. */
  timestamp?: Date;
}

/**
 * Signs a payload the Standard Webhooks way with Web Crypto; resolves to the three headers to send.
 *
 * @param secret - the endpoint's `whsec_<base64>` secret
 * @param payload - the exact body that will be sent
 * @param options - message id and signing time
 */
export async function signAsync(secret: string, payload: RawPayload, options: SignAsyncOptions): Promise<StandardWebhookHeaders> {
  const input = hashInput(payload);
  const key = await standardCryptoKey(secret);
  const timestamp = String(Math.floor((options.timestamp ?? new Date()).getTime() / 1000));
  const signature = toBase64(new Uint8Array(await hmacOfParts(key, `${options.id}.${timestamp}.`, input)));
  return { 'webhook-id': options.id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}

/**
 * Checks a Standard Webhooks delivery with Web Crypto; same checks, order and errors as the Node
 * path. Resolves to `finish` of the verification, so the caller's own answer (the body, or the
 * parsed event) needs no further promise of its own.
 */
export async function standardVerificationAsync<R>(
  payload: RawPayload,
  headers: HeaderSource,
  secrets: string | readonly string[],
  options: VerifyOptions,
  finish: (verification: Verification) => R,
): Promise<R> {
  const input = hashInput(payload);
  // Checked, and imported or found in the cache, at once and in order; awaited one at a time below,
  // and only while an import is still running (Promise.all would cost an extra round of promises).
  const keys = secretList(secrets).map(standardCryptoKey);
  const { id, timestamp, signature } = standardHeaders(headers);
  const signedAtMs = unixSecondsHeader(timestamp);
  checkTolerance(signedAtMs, Math.floor(nowMs(options) / 1000) * 1000, options, 'webhook-timestamp');
  const offered = v1Signatures(signature);
  const prefix = `${id}.${timestamp}.`;
  for (const key of keys) {
    // Compared in base64 like the Node path, so both accept exactly the same entries.
    const expected = toBase64(new Uint8Array(await hmacOfParts(importing(key) ? await key : key, prefix, input)));
    if (offered.some((candidate) => equalStrings(candidate, expected))) {
      return finish({ body: textOf(input), id, event: undefined, signedAtMs, scheme: 'standard' });
    }
  }
  throw new WebhookVerificationError('NO_MATCHING_SIGNATURE', NO_MATCH_STANDARD);
}
