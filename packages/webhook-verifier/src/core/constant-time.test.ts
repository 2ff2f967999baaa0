import { describe, expect, it } from 'vitest';
import { equalBytes } from './constant-time.js';

describe('equalBytes', () => {
  it('is true only for identical bytes and false (not a throw) for different lengths', () => {
    const a = new Uint8Array(32).fill(9);
    expect(equalBytes(a, a.slice())).toBe(true);
    for (let i = 0; i < 32; i++) {
      const b = a.slice();
      b[i]! ^= 1;
      expect(equalBytes(a, b)).toBe(false);
    }
    expect(equalBytes(a, a.subarray(1))).toBe(false);
    expect(equalBytes(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });
});
