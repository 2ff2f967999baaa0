import { randomUUID } from 'node:crypto';
import type { RawPayload, TestHeaderOptions, WebhookTestHeaders } from '../types.js';
import { signLegacy } from './legacy.js';
import { sign } from './standard.js';

/**
 * Signs `payload` exactly as a CareOS delivery is signed: the Standard Webhooks headers and the
 * legacy `X-CareOS-*` headers, from one secret. For your tests, and for anything that sends
 * deliveries the way CareOS does.
 *
 * @param secret - the endpoint's `whsec_…` secret
 * @param payload - the exact body you will send
 * @param options - event type, and optionally message id and signing time
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ type: 'alert.created', alert_id: 'al_1' });
 * const res = await fetch(url, { method: 'POST', body, headers: createTestHeaders(secret, body, { event: 'alert.created' }) });
 * ```
 */
export function createTestHeaders(secret: string, payload: RawPayload, options: TestHeaderOptions): WebhookTestHeaders {
  const timestamp = options.timestamp ?? new Date();
  return {
    ...sign(secret, payload, { id: options.id ?? `msg_${randomUUID()}`, timestamp }),
    ...signLegacy(secret, payload, { event: options.event, timestamp }),
  };
}
