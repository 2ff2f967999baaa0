import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprint } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: null }, u: undefined })).toBe('{"a":{"c":null,"d":[3,{"x":2,"y":1}]},"b":1}');
  });

  it('gives equal fingerprints to bodies differing only in key order', () => {
    expect(fingerprint({ a: 1, b: [1, 2] })).toBe(fingerprint({ b: [1, 2], a: 1 }));
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: 2 }));
    expect(fingerprint([1, 2])).not.toBe(fingerprint([2, 1]));
  });
});

describe('fingerprint options', () => {
  it('leaves excluded top-level fields out and separates contexts', () => {
    const body = { phone_hash: 'h', ciphertext: 'one', name: 'A' };
    expect(fingerprint(body, { exclude: ['ciphertext'] })).toBe(fingerprint({ ...body, ciphertext: 'two' }, { exclude: ['ciphertext'] }));
    expect(fingerprint(body, { exclude: ['ciphertext'] })).toBe(fingerprint({ phone_hash: 'h', name: 'A' }));
    expect(fingerprint(body, { exclude: ['ciphertext'] })).not.toBe(fingerprint({ ...body, phone_hash: 'other' }, { exclude: ['ciphertext'] }));
    expect(fingerprint(body, { context: 'POST /a' })).not.toBe(fingerprint(body, { context: 'POST /b' }));
  });
});
