import { WebhookVerificationError } from '../errors.js';
import type { HeaderSource } from '../types.js';

/**
 * Reads one header by its lower-case name. Node's `req.headers` is already lower-case, so the
 * direct lookup hits; other casings (hand-built objects, some frameworks) fall back to a scan.
 * Repeated headers (an array, or Node's comma-joined form) are joined with a space, which is
 * how several `webhook-signature` entries are separated anyway.
 */
export function getHeader(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  let value = record[name];
  if (value === undefined) {
    for (const key in record) {
      if (key.length === name.length && key.toLowerCase() === name) {
        value = record[key];
        break;
      }
    }
  }
  return Array.isArray(value) ? value.join(' ') : value;
}

/** The three Standard Webhooks headers, present and non-empty. */
export interface StandardParts {
  id: string;
  timestamp: string;
  signature: string;
}

/** Reads the Standard Webhooks headers; a missing one fails naming it, with a hint when the delivery is legacy-only. */
export function standardHeaders(headers: HeaderSource): StandardParts {
  const id = getHeader(headers, 'webhook-id');
  const timestamp = getHeader(headers, 'webhook-timestamp');
  const signature = getHeader(headers, 'webhook-signature');
  if (id && timestamp && signature) return { id, timestamp, signature };
  const missing = [!id && 'webhook-id', !timestamp && 'webhook-timestamp', !signature && 'webhook-signature'].filter(Boolean);
  const legacyOnly = missing.length === 3 && legacySignature(headers) !== undefined;
  throw new WebhookVerificationError(
    'MISSING_HEADER',
    `Missing the ${missing.join(', ')} header${missing.length > 1 ? 's' : ''}. ` +
      (legacyOnly
        ? "This request carries only the legacy X-CareOS-Signature headers: verify it with { scheme: 'legacy' }."
        : 'Every CareOS delivery carries them: check that this is a CareOS delivery, that no proxy strips headers, and that you passed the request headers (req.headers or request.headers).'),
  );
}

/** The legacy headers; the `X-CareOS-*` name wins over the seed's `X-LoveRescue-*` name. */
export interface LegacyParts {
  signature: string;
  timestamp: string;
  event: string | undefined;
}

function legacySignature(headers: HeaderSource): string | undefined {
  return getHeader(headers, 'x-careos-signature') || getHeader(headers, 'x-loverescue-signature') || undefined;
}

/** Reads the legacy headers under either name; a missing one fails naming both names. */
export function legacyHeaders(headers: HeaderSource): LegacyParts {
  const signature = legacySignature(headers);
  const timestamp = getHeader(headers, 'x-careos-timestamp') || getHeader(headers, 'x-loverescue-timestamp');
  const event = getHeader(headers, 'x-careos-event') || getHeader(headers, 'x-loverescue-event') || undefined;
  if (signature && timestamp) return { signature, timestamp, event };
  const missing = [!signature && 'X-CareOS-Signature', !timestamp && 'X-CareOS-Timestamp'].filter(Boolean) as string[];
  const standardPresent = getHeader(headers, 'webhook-signature') !== undefined;
  throw new WebhookVerificationError(
    'MISSING_HEADER',
    `Missing the ${missing.map((name) => `${name} (or ${name.replace('CareOS', 'LoveRescue')})`).join(' and ')} header${missing.length > 1 ? 's' : ''}. ` +
      (standardPresent
        ? "This request carries Standard Webhooks headers: verify it with the default scheme (drop scheme: 'legacy')."
        : 'Check that this is a CareOS delivery and that no proxy strips headers.'),
  );
}
