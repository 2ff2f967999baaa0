import { createSecretKey, type KeyObject } from 'node:crypto';
import { BoundedCache, KEY_CACHE_SIZE } from '../core/bounded-cache.js';
import { secretBase64 } from '../core/secret.js';

// Building a KeyObject costs more than the HMAC of a small body (createHmac with a raw key
// redoes that work on every call), so each secret is checked and turned into a key once.
const standardKeys = new BoundedCache<KeyObject>(KEY_CACHE_SIZE);
const legacyKeys = new BoundedCache<KeyObject>(KEY_CACHE_SIZE);
const legacySigningKeys = new BoundedCache<KeyObject>(KEY_CACHE_SIZE);

/** The Standard Webhooks HMAC key of a `whsec_` secret: its base64 part, decoded. */
export function standardKey(secret: string): KeyObject {
  let key = standardKeys.get(secret);
  if (key === undefined) {
    key = createSecretKey(Buffer.from(secretBase64(secret), 'base64'));
    standardKeys.set(secret, key);
  }
  return key;
}

/**
 * The legacy HMAC key: the secret string itself as UTF-8, `whsec_` prefix included, because
 * that is what the seed's `verifySignature` snippet passes to `createHmac`. Verification checks
 * the secret for copy-paste slips first.
 */
export function legacyKey(secret: string): KeyObject {
  let key = legacyKeys.get(secret);
  if (key === undefined) {
    secretBase64(secret);
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    legacyKeys.set(secret, key);
  }
  return key;
}

/**
 * The legacy key for signing: any non-empty string, since the legacy scheme keys by whatever
 * string was issued and a sender must keep signing the way its receivers verify.
 */
export function legacySigningKey(secret: string): KeyObject {
  let key = legacySigningKeys.get(secret);
  if (key === undefined) {
    if (typeof secret !== 'string' || secret.length === 0) secretBase64(secret);
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    legacySigningKeys.set(secret, key);
  }
  return key;
}
