import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacOfParts, importing, legacyCryptoKey, standardCryptoKey } from './subtle.js';

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

  it('hand out the import while it runs, then the key itself (nothing more to await)', async () => {
    const secret = fresh();
    const first = standardCryptoKey(secret);
    expect(importing(first)).toBe(true);
    const key = await first;
    expect(standardCryptoKey(secret)).toBe(key);
    expect(importing(key)).toBe(false);
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

describe('hmacOfParts', () => {
  const secret = fresh();
  const expected = (bytes: Uint8Array) => new Uint8Array(createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64')).update(bytes).digest());

  it('signs the prefix and the body bytes joined, never decoding the bytes', async () => {
    const key = await standardCryptoKey(secret);
    expect(new Uint8Array(await hmacOfParts(key, 'a.', new Uint8Array([0xff, 0x00])))).toEqual(expected(new Uint8Array([0x61, 0x2e, 0xff, 0x00])));
    expect(new Uint8Array(await hmacOfParts(key, 'id.1.', 'é'))).toEqual(expected(new TextEncoder().encode('id.1.é')));
  });

  it('stays right for bodies larger than its buffer, and for calls in flight together', async () => {
    const key = await standardCryptoKey(secret);
    const bodies = [randomBytes(10_000), randomBytes(3), randomBytes(70_000), randomBytes(1024)].map((b) => new Uint8Array(b));
    const macs = await Promise.all(bodies.map((body, i) => hmacOfParts(key, `msg_${i}.1700000000.`, body)));
    macs.forEach((mac, i) => expect(new Uint8Array(mac)).toEqual(expected(new Uint8Array([...new TextEncoder().encode(`msg_${i}.1700000000.`), ...bodies[i]!]))));
  });
});
