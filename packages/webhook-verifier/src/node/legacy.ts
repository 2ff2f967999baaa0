import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError } from '../errors.js';
import { legacyHeaders } from '../core/headers.js';
import { hashInput, textOf } from '../core/payload.js';
import { secretList } from '../core/secret.js';
import { checkLegacySignature, NO_MATCH_LEGACY } from '../core/signature-header.js';
import { checkTolerance, isoTimeHeader, nowMs } from '../core/timestamp.js';
import type { Verification } from '../core/verified.js';
import type { HeaderSource, LegacyHeaders, RawPayload, VerifyOptions } from '../types.js';
import { legacyKey, legacySigningKey } from './keys.js';

/** Options of {@link signLegacy}. */
export interface SignLegacyOptions {
  /** Event type, sent as `X-CareOS-Event`. */
  event: string;
  /** Event time, sent as `X-CareOS-Timestamp`; now when omitted. */
  timestamp?: Date;
}

/**
 * Signs a payload the legacy way (`X-CareOS-Signature`): hex HMAC-SHA256 of the body, keyed by
 * the secret string itself, `whsec_` prefix included, because that is what the seed's
 * `verifySignature` snippet feeds to `createHmac`. The timestamp is not part of the signature.
 *
 * @param secret - the endpoint's secret, exactly as issued
 * @param payload - the exact body that will be sent
 * @param options - event type and time
 */
export function signLegacy(secret: string, payload: RawPayload, options: SignLegacyOptions): LegacyHeaders {
  const input = hashInput(payload);
  return {
    'x-careos-signature': createHmac('sha256', legacySigningKey(secret)).update(input).digest('hex'),
    'x-careos-timestamp': (options.timestamp ?? new Date()).toISOString(),
    'x-careos-event': options.event,
  };
}

/** Checks a legacy delivery; see `verifyLegacy`. */
export function legacyVerification(payload: RawPayload, headers: HeaderSource, secrets: string | readonly string[], options: VerifyOptions): Verification {
  const input = hashInput(payload);
  const keys = typeof secrets === 'string' ? [legacyKey(secrets)] : secretList(secrets).map(legacyKey);
  const { signature, timestamp, event } = legacyHeaders(headers);
  const signedAtMs = isoTimeHeader(timestamp);
  checkTolerance(signedAtMs, nowMs(options), options, 'X-CareOS-Timestamp');
  checkLegacySignature(signature);
  const offered = Buffer.from(signature, 'hex');
  for (const key of keys) {
    // Both are 32 bytes here (the header was checked to be 64 hex digits), so this cannot throw.
    if (timingSafeEqual(offered, createHmac('sha256', key).update(input).digest())) {
      return { body: textOf(input), id: undefined, event, signedAtMs, scheme: 'legacy' };
    }
  }
  throw new WebhookVerificationError('NO_MATCHING_SIGNATURE', NO_MATCH_LEGACY);
}
