import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, unsafeJson } from './body-guards.js';

describe('unsafeJson', () => {
  it('accepts ordinary JSON', () => {
    expect(unsafeJson({ a: [1, 'two', { three: null }], 'ключ': 'значение 😀' })).toBeNull();
  });

  it('refuses deep nesting without recursing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(unsafeJson(deep)).toBe('depth');
    let ok: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH; i++) ok = { k: ok };
    expect(unsafeJson(ok)).toBeNull();
  });

  it('refuses NUL and lone surrogates in values and keys', () => {
    expect(unsafeJson({ a: 'x\u0000' })).toBe('nul');
    expect(unsafeJson({ ['k\u0000']: 1 })).toBe('nul');
    expect(unsafeJson(['\ud800'])).toBe('surrogate');
    expect(unsafeJson(['\udc00x'])).toBe('surrogate');
    expect(unsafeJson(['\ud83d\ude00'])).toBeNull();
  });
});
