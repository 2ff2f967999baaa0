import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError } from './errors.js';
import { secretKey } from './secret.js';

/** A payload as received: keep the raw bytes, never a re-serialised object. */
export type RawPayload = string | Uint8Array | ArrayBuffer;

/** Header bag: a plain object (any case) or a Fetch `Headers`. */
export type HeaderSource = Record<string, string | string[] | undefined> | Headers;

/** Options of {@link verify}. */
export interface VerifyOptions {
  /** Allowed clock difference in seconds, both directions. Default 300. */
  toleranceSeconds?: number;
  /** Current time in ms (tests). */
  now?: number;
}

/** @internal */
export function toBuffer(payload: RawPayload): Buffer {
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  if (payload instanceof ArrayBuffer) return Buffer.from(payload);
  if (payload instanceof Uint8Array) return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  throw new WebhookVerificationError(
    'INVALID_PAYLOAD',
    'The payload must be the raw body (string, Buffer, Uint8Array or ArrayBuffer); if you use express.json(), mount express.raw() on the webhook route instead',
  );
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const found = record[name] ?? Object.entries(record).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(found) ? found.join(' ') : found;
}

function signature(secret: string, id: string, timestamp: string, body: Buffer): Buffer {
  return createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.`).update(body).digest();
}

/**
 * Signs a payload the Standard Webhooks way; returns the three headers to send.
 * @param secret `whsec_<base64>`
 */
export function sign(secret: string, payload: RawPayload, options: { id: string; timestamp?: Date }): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const timestamp = String(Math.floor((options.timestamp ?? new Date()).getTime() / 1000));
  const sig = signature(secret, options.id, timestamp, toBuffer(payload)).toString('base64');
  return { 'webhook-id': options.id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${sig}` };
}

/**
 * Verifies a Standard Webhooks delivery against one or more secrets (rotation) and returns the
 * payload as text. Throws {@link WebhookVerificationError} saying exactly what was wrong.
 */
export function verify(payload: RawPayload, headers: HeaderSource, secrets: string | readonly string[], options: VerifyOptions = {}): string {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  for (const [name, value] of [['webhook-id', id], ['webhook-timestamp', timestamp], ['webhook-signature', signatures]] as const) {
    if (!value) throw new WebhookVerificationError('MISSING_HEADER', `Missing the ${name} header`);
  }
  if (!/^\d{1,12}$/.test(timestamp!)) throw new WebhookVerificationError('INVALID_TIMESTAMP', 'webhook-timestamp is not a Unix time in seconds');
  const tolerance = options.toleranceSeconds ?? 300;
  const skew = Math.floor((options.now ?? Date.now()) / 1000) - Number(timestamp);
  if (skew > tolerance) throw new WebhookVerificationError('TIMESTAMP_TOO_OLD', `The webhook is ${skew}s old, beyond the ${tolerance}s tolerance (replay?)`);
  if (-skew > tolerance) throw new WebhookVerificationError('TIMESTAMP_TOO_NEW', `The webhook timestamp is ${-skew}s in the future; check the clock`);

  const body = toBuffer(payload);
  const offered = signatures!
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  for (const secret of typeof secrets === 'string' ? [secrets] : secrets) {
    const expected = signature(secret, id!, timestamp!, body);
    // Lengths differ for malformed entries; compare only equal lengths so timingSafeEqual cannot throw.
    if (offered.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected))) return body.toString('utf8');
  }
  throw new WebhookVerificationError('NO_MATCHING_SIGNATURE', 'No signature matched: wrong secret, or the body was changed (verify the raw bytes)');
}
