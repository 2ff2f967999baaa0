import { createSecretKey, type KeyObject } from 'node:crypto';
import { WebhookVerificationError } from './errors.js';

const PREFIX = 'whsec_';
const cache = new Map<string, KeyObject>();

/**
 * Turns a `whsec_<base64>` secret into an HMAC key, parsed once and cached: building the key
 * is a large share of the cost of a verification.
 */
export function secretKey(secret: string): KeyObject {
  const cached = cache.get(secret);
  if (cached) return cached;
  if (typeof secret !== 'string' || secret.length === 0) throw new WebhookVerificationError('INVALID_SECRET', 'The webhook secret is empty');
  if (secret !== secret.trim()) throw new WebhookVerificationError('INVALID_SECRET', 'The webhook secret has leading or trailing whitespace; copy it exactly');
  const encoded = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    throw new WebhookVerificationError('INVALID_SECRET', 'The webhook secret is not whsec_ followed by base64');
  }
  const key = createSecretKey(Buffer.from(encoded, 'base64'));
  if (cache.size > 64) cache.clear();
  cache.set(secret, key);
  return key;
}
