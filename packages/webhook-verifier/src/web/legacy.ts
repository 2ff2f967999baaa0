import { fromHex, toHex } from '../core/base64.js';
import { equalBytes } from '../core/constant-time.js';
import { legacyHeaders } from '../core/headers.js';
import { hashInput, textOf } from '../core/payload.js';
import { secretList } from '../core/secret.js';
import { checkLegacySignature, NO_MATCH_LEGACY } from '../core/signature-header.js';
import { checkTolerance, isoTimeHeader, nowMs } from '../core/timestamp.js';
import type { Verification } from '../core/verified.js';
import { WebhookVerificationError } from '../errors.js';
import type { HeaderSource, LegacyHeaders, RawPayload, VerifyOptions } from '../types.js';
import { bodyBytes, hmac, importing, legacyCryptoKey, legacySigningCryptoKey } from './subtle.js';

/** Options of {@link signLegacyAsync}. */
export interface SignLegacyAsyncOptions {
  /** Event type, sent as `X-CareOS-Event`. */
  event: string;
  /** Event time, sent as `X-CareOS-Timestamp`; now when omitted. */
  timestamp?: Date;
}

/**
 * Signs a payload the legacy way (`X-CareOS-Signature`, hex HMAC-SHA256 of the body keyed by
 * the secret string as issued) with Web Crypto.
 *
 * @param secret - the endpoint's secret, exactly as issued
 * @param payload - the exact body that will be sent
 * @param options - event type and time
 */
export async function signLegacyAsync(secret: string, payload: RawPayload, options: SignLegacyAsyncOptions): Promise<LegacyHeaders> {
  const input = hashInput(payload);
  const key = await legacySigningCryptoKey(secret);
  return {
    'x-careos-signature': toHex(await hmac(key, bodyBytes(input))),
    'x-careos-timestamp': (options.timestamp ?? new Date()).toISOString(),
    'x-careos-event': options.event,
  };
}

/** Checks a legacy delivery with Web Crypto; same checks, order and errors as the Node path. Resolves to `finish` of the verification. */
export async function legacyVerificationAsync<R>(
  payload: RawPayload,
  headers: HeaderSource,
  secrets: string | readonly string[],
  options: VerifyOptions,
  finish: (verification: Verification) => R,
): Promise<R> {
  const input = hashInput(payload);
  // As on the standard path: checked and imported at once, awaited only while an import runs.
  const keys = secretList(secrets).map(legacyCryptoKey);
  const { signature, timestamp, event } = legacyHeaders(headers);
  const signedAtMs = isoTimeHeader(timestamp);
  checkTolerance(signedAtMs, nowMs(options), options, 'X-CareOS-Timestamp');
  checkLegacySignature(signature);
  const offered = fromHex(signature);
  const bytes = bodyBytes(input);
  for (const key of keys) {
    if (equalBytes(offered, await hmac(importing(key) ? await key : key, bytes))) return finish({ body: textOf(input), id: undefined, event, signedAtMs, scheme: 'legacy' });
  }
  throw new WebhookVerificationError('NO_MATCHING_SIGNATURE', NO_MATCH_LEGACY);
}
