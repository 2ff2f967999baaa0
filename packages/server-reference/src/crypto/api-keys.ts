import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `length` characters of uniformly random base62 (rejection sampling, no modulo bias). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

/** A new partner API key: `<platform>_<environment>_<32 base62>` (about 190 bits). */
export function generateApiKey(platform: string, environment: 'live' | 'test'): string {
  return `${platform}_${environment}_${randomBase62(32)}`;
}

/**
 * How API keys are stored and looked up: hex SHA-256 (keys are high-entropy, DESIGN §4.9).
 * Computed on every authenticated request, so with the one-shot `hash` (no Hash object).
 */
export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

/** The start of a key that lists show so people can recognise it; never enough to use it. */
export function apiKeyPrefix(key: string): string {
  return key.slice(0, Math.min(20, Math.floor(key.length / 2)));
}

/** Constant-time comparison of two hex digests of equal length. */
export function hexDigestsEqual(a: string, b: string): boolean {
  if (a.length !== b.length || a.length % 2 !== 0) return false;
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length * 2 === a.length && timingSafeEqual(left, right);
}

/** A random phone-hash salt for a new partner (64 hex characters). */
export function generateSalt(): string {
  return randomBytes(32).toString('hex');
}
