import type { RawPayload, TestHeaderOptions, WebhookTestHeaders } from '../types.js';
import { signLegacyAsync } from './legacy.js';
import { signAsync } from './standard.js';

/**
 * Signs `payload` exactly as a CareOS delivery is signed (Standard Webhooks and legacy headers,
 * from one secret) with Web Crypto. For tests in runtimes without `node:crypto`.
 *
 * @param secret - the endpoint's `whsec_…` secret
 * @param payload - the exact body you will send
 * @param options - event type, and optionally message id and signing time
 */
export async function createTestHeadersAsync(secret: string, payload: RawPayload, options: TestHeaderOptions): Promise<WebhookTestHeaders> {
  const timestamp = options.timestamp ?? new Date();
  const [standard, legacy] = await Promise.all([
    signAsync(secret, payload, { id: options.id ?? `msg_${globalThis.crypto.randomUUID()}`, timestamp }),
    signLegacyAsync(secret, payload, { event: options.event, timestamp }),
  ]);
  return { ...standard, ...legacy };
}
