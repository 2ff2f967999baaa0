import { createHmac } from 'node:crypto';
import { equalStrings } from '../core/constant-time.js';
import { WebhookVerificationError } from '../errors.js';
import { standardHeaders } from '../core/headers.js';
import { hashInput, textOf } from '../core/payload.js';
import { secretList } from '../core/secret.js';
import { NO_MATCH_STANDARD, v1Signatures } from '../core/signature-header.js';
import { checkTolerance, nowMs, unixSecondsHeader } from '../core/timestamp.js';
import type { Verification } from '../core/verified.js';
import type { HeaderSource, RawPayload, StandardWebhookHeaders, VerifyOptions } from '../types.js';
import { standardKey } from './keys.js';

/** Options of {@link sign}. */
export interface SignOptions {
  /** The message id, sent as `webhook-id`; keep it the same across retries of one delivery. */
  id: string;
  /** Signing time; now when omitted. */
  timestamp?: Date;
}

/**
 * Signs a payload the Standard Webhooks way and returns the three headers to send with it.
 *
 * @param secret - the endpoint's `whsec_<base64>` secret
 * @param payload - the exact body that will be sent
 * @param options - message id and signing time
 * @throws {@link WebhookVerificationError} when the secret is malformed
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ type: 'payment.paid', amount: 15 });
 * const headers = sign(secret, body, { id: 'msg_2Lh…' });
 * await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
 * ```
 */
export function sign(secret: string, payload: RawPayload, options: SignOptions): StandardWebhookHeaders {
  const input = hashInput(payload);
  const key = standardKey(secret);
  const timestamp = String(Math.floor((options.timestamp ?? new Date()).getTime() / 1000));
  const signature = createHmac('sha256', key).update(`${options.id}.${timestamp}.`).update(input).digest('base64');
  return { 'webhook-id': options.id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}

/** Checks a Standard Webhooks delivery; see `verify`. */
export function standardVerification(payload: RawPayload, headers: HeaderSource, secrets: string | readonly string[], options: VerifyOptions): Verification {
  const input = hashInput(payload);
  // Keys first: a misconfigured secret fails every delivery and should be the error reported.
  const keys = typeof secrets === 'string' ? [standardKey(secrets)] : secretList(secrets).map(standardKey);
  const { id, timestamp, signature } = standardHeaders(headers);
  const signedAtMs = unixSecondsHeader(timestamp);
  // The header has whole seconds; comparing with the clock's whole second keeps a fresh
  // delivery from looking up to 999 ms older than it is.
  checkTolerance(signedAtMs, Math.floor(nowMs(options) / 1000) * 1000, options, 'webhook-timestamp');
  const offered = v1Signatures(signature);
  const signed = `${id}.${timestamp}.`;
  for (const key of keys) {
    // Compared in base64, in constant time: no decoding or allocation per entry, and a
    // truncated, padded-out or garbled entry simply differs (it cannot throw).
    const expected = createHmac('sha256', key).update(signed).update(input).digest('base64');
    for (const candidate of offered) {
      if (equalStrings(candidate, expected)) return { body: textOf(input), id, event: undefined, signedAtMs, scheme: 'standard' };
    }
  }
  throw new WebhookVerificationError('NO_MATCHING_SIGNATURE', NO_MATCH_STANDARD);
}
