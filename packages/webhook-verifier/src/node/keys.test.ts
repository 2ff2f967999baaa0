import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KEY_CACHE_SIZE } from '../core/bounded-cache.js';
import { legacyKey, legacySigningKey, standardKey } from './keys.js';

const fresh = () => `whsec_${randomBytes(24).toString('base64')}`;

describe('KeyObject caches', () => {
  it('build each secret key once', () => {
    const secret = fresh();
    expect(standardKey(secret)).toBe(standardKey(secret));
    expect(legacyKey(secret)).toBe(legacyKey(secret));
    expect(standardKey(secret).export()).toEqual(Buffer.from(secret.slice(6), 'base64'));
    expect(legacyKey(secret).export()).toEqual(Buffer.from(secret, 'utf8'));
  });

  it('stay bounded: past the bound the oldest key is rebuilt on its next use', () => {
    const first = fresh();
    const key = standardKey(first);
    for (let i = 0; i < KEY_CACHE_SIZE; i++) standardKey(fresh());
    const again = standardKey(first);
    expect(again).not.toBe(key);
    expect(again.equals(key)).toBe(true);
  });

  it('never cache a refused secret', () => {
    expect(() => standardKey(' whsec_abcd')).toThrow(expect.objectContaining({ code: 'SECRET_WHITESPACE' }));
    expect(() => standardKey(' whsec_abcd')).toThrow(expect.objectContaining({ code: 'SECRET_WHITESPACE' }));
    expect(() => legacyKey('not a secret')).toThrow(expect.objectContaining({ code: 'SECRET_WHITESPACE' }));
  });

  it('sign the legacy way with any non-empty string, as the legacy scheme always has', () => {
    expect(legacySigningKey('not a whsec secret').export().toString()).toBe('not a whsec secret');
    expect(() => legacySigningKey('')).toThrow(expect.objectContaining({ code: 'INVALID_SECRET' }));
  });
});
