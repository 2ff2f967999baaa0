import { describe, expect, it } from 'vitest';
import { BoundedCache } from './bounded-cache.js';

describe('BoundedCache', () => {
  it('never holds more than its bound and forgets the oldest entry first', () => {
    const cache = new BoundedCache<number>(3);
    for (let i = 0; i < 5; i++) cache.set(`k${i}`, i);
    expect(cache.size).toBe(3);
    expect([cache.get('k0'), cache.get('k1'), cache.get('k2'), cache.get('k4')]).toEqual([undefined, undefined, 2, 4]);
    cache.set('k2', 20); // replacing does not evict
    expect(cache.size).toBe(3);
    expect(cache.get('k3')).toBe(3);
  });
});
