import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { legacyCryptoKey, signedContent, standardCryptoKey } from './subtle.js';

const fresh = () => `whsec_${randomBytes(24).toString('base64')}`;

describe('CryptoKey caches', () => {
  it('import each secret once, sharing the import between concurrent first calls', async () => {
    const secret = fresh();
    const [a, b] = [standardCryptoKey(secret), standardCryptoKey(secret)];
    expect(a).toBe(b);
    expect(await a).toBe(await standardCryptoKey(secret));
    expect(await legacyCryptoKey(secret)).toBe(await legacyCryptoKey(secret));
    expect(await legacyCryptoKey(secret)).not.toBe(await a);
  });

  it('import non-extractable HMAC-SHA256 signing keys', async () => {
    const key = await standardCryptoKey(fresh());
    expect(key.extractable).toBe(false);
    expect(key.algorithm).toMatchObject({ name: 'HMAC', hash: { name: 'SHA-256' } });
    expect(key.usages).toEqual(['sign']);
  });

  it('refuse a bad secret on every call instead of caching it', () => {
    expect(() => standardCryptoKey('v1,abcd')).toThrow(expect.objectContaining({ code: 'SECRET_HAS_V1_PREFIX' }));
    expect(() => standardCryptoKey('v1,abcd')).toThrow(expect.objectContaining({ code: 'SECRET_HAS_V1_PREFIX' }));
  });
});

describe('signedContent', () => {
  it('joins the prefix and the body bytes without decoding them', () => {
    expect([...signedContent('a.', new Uint8Array([0xff, 0x00]))]).toEqual([0x61, 0x2e, 0xff, 0x00]);
    expect(new TextDecoder().decode(signedContent('id.1.', 'é'))).toBe('id.1.é');
  });
});
