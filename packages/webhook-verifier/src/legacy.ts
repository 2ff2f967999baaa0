import { createHmac } from 'node:crypto';
import { type RawPayload, toBuffer } from './standard.js';

/** Headers of the seed's legacy scheme, for receivers written before Standard Webhooks. */
export interface LegacyHeaders {
  /** Hex HMAC-SHA256 of the raw body, keyed by the secret string exactly as issued. */
  'x-careos-signature': string;
  /** ISO 8601 time of the event. */
  'x-careos-timestamp': string;
  /** Event type, e.g. `alert.created`. */
  'x-careos-event': string;
}

/**
 * Signs a payload the legacy way (`X-CareOS-Signature`). The key is the secret string itself,
 * `whsec_` prefix included, because that is what the seed's `verifySignature` snippet feeds to
 * `createHmac`.
 */
export function signLegacy(secret: string, payload: RawPayload, options: { event: string; timestamp?: Date }): LegacyHeaders {
  return {
    'x-careos-signature': createHmac('sha256', secret).update(toBuffer(payload)).digest('hex'),
    'x-careos-timestamp': (options.timestamp ?? new Date()).toISOString(),
    'x-careos-event': options.event,
  };
}
