import { BoundedCache, KEY_CACHE_SIZE } from '../core/bounded-cache.js';
import { fromBase64 } from '../core/base64.js';
import { secretBase64 } from '../core/secret.js';
import { WebhookVerificationError } from '../errors.js';

// Everything here uses only globals that Workers, Deno, Bun, browsers and Node share:
// crypto.subtle, TextEncoder, atob/btoa. Nothing may import a `node:` module.

const encoder = new TextEncoder();

// Named through the global rather than the DOM lib, so the types come from whichever runtime's
// declarations the project has (@types/node, workers-types, DOM).
type Subtle = NonNullable<typeof globalThis.crypto>['subtle'];
type Key = Awaited<ReturnType<Subtle['importKey']>>;

/** `globalThis.crypto.subtle`, or a clear error in a runtime without Web Crypto. */
export function subtle(): Subtle {
  const found = globalThis.crypto?.subtle;
  if (!found) throw new Error('Web Crypto (globalThis.crypto.subtle) is not available in this runtime; in Node, import @careos/webhook-verifier instead.');
  return found;
}

// importKey is asynchronous and not free; caching the promise also makes concurrent first
// requests share one import instead of racing. Once imported, the key itself replaces its promise,
// so a verification with a known secret awaits nothing but the digest (an await of a settled
// promise costs a turn of the microtask queue, which at tens of thousands of verifications a
// second is measurable).
const standardKeys = new BoundedCache<Promise<Key> | Key>(KEY_CACHE_SIZE);
const legacyKeys = new BoundedCache<Promise<Key> | Key>(KEY_CACHE_SIZE);
const legacySigningKeys = new BoundedCache<Promise<Key> | Key>(KEY_CACHE_SIZE);

function cached(cache: BoundedCache<Promise<Key> | Key>, secret: string, raw: () => Uint8Array): Promise<Key> | Key {
  const hit = cache.get(secret);
  if (hit !== undefined) return hit;
  // Checks run before anything is cached, so a bad secret is reported on every call.
  const bytes = raw();
  const key = subtle().importKey('raw', bytes as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  key.then(
    (imported) => {
      if (cache.get(secret) === key) cache.set(secret, imported);
    },
    () => cache.delete(secret),
  );
  cache.set(secret, key);
  return key;
}

/**
 * The Standard Webhooks key of a `whsec_` secret (its base64 part, decoded), imported once: the
 * import's promise until it settles, the key itself after.
 */
export function standardCryptoKey(secret: string): Promise<Key> | Key {
  return cached(standardKeys, secret, () => {
    const bytes = fromBase64(secretBase64(secret));
    if (!bytes) throw new WebhookVerificationError('INVALID_SECRET', 'The webhook secret is not whsec_ followed by base64: copy the whole whsec_… value from your endpoint settings.');
    return bytes;
  });
}

/** The legacy key (the secret string as UTF-8, prefix included), checked and imported once (as {@link standardCryptoKey}). */
export function legacyCryptoKey(secret: string): Promise<Key> | Key {
  return cached(legacyKeys, secret, () => {
    secretBase64(secret);
    return encoder.encode(secret);
  });
}

/** The legacy key for signing: any non-empty string, as issued. */
export function legacySigningCryptoKey(secret: string): Promise<Key> | Key {
  return cached(legacySigningKeys, secret, () => {
    if (typeof secret !== 'string' || secret.length === 0) secretBase64(secret);
    return encoder.encode(secret);
  });
}

/**
 * Whether a key from the caches is still being imported. A thenable check, not `instanceof
 * Promise`: the import's promise belongs to the realm `crypto` came from, which need not be this
 * module's (an edge runtime's, a `vm` context's).
 */
export function importing(key: Promise<Key> | Key): key is Promise<Key> {
  return typeof (key as Partial<Promise<Key>>).then === 'function';
}

/** HMAC-SHA256 of `data` under `key`. */
export async function hmac(key: Key, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().sign('HMAC', key, data as Uint8Array<ArrayBuffer>));
}

/**
 * Where the bytes Standard Webhooks signs are assembled. `crypto.subtle.sign` copies its input
 * before it returns (the Web Crypto spec says so, and every runtime does), so one buffer serves
 * every call: assembling into it saves two allocations and a copy per verification, a third of
 * the JavaScript a verification costs besides the wait for the digest.
 */
let scratch = new Uint8Array(4096);

/**
 * HMAC-SHA256 under `key` of `prefix` followed by `body` — `id.timestamp.body`, what Standard
 * Webhooks signs (subtle.sign takes a single input). A string body is encoded with the prefix;
 * a byte body is copied after it as is, never decoded.
 */
export function hmacOfParts(key: Key, prefix: string, body: string | Uint8Array): Promise<ArrayBuffer> {
  // UTF-8 takes at most 3 bytes per UTF-16 unit.
  const most = (prefix.length + (typeof body === 'string' ? body.length : 0)) * 3 + (typeof body === 'string' ? 0 : body.length);
  if (scratch.length < most) scratch = new Uint8Array(Math.max(most, scratch.length * 2));
  let length: number;
  if (typeof body === 'string') {
    length = encoder.encodeInto(prefix + body, scratch).written;
  } else {
    length = encoder.encodeInto(prefix, scratch).written;
    scratch.set(body, length);
    length += body.length;
  }
  // The digest's own promise, not an async wrapper's: one promise fewer between it and the caller.
  return subtle().sign('HMAC', key, scratch.subarray(0, length) as Uint8Array<ArrayBuffer>);
}

/** The body as bytes (a string as UTF-8). */
export function bodyBytes(body: string | Uint8Array): Uint8Array {
  return typeof body === 'string' ? encoder.encode(body) : body;
}
