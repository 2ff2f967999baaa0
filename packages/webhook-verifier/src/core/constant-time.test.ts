import { describe, expect, it } from 'vitest';
import { equalBytes, equalStrings } from './constant-time.js';

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

describe('equalStrings', () => {
  it('is true only for identical strings and false (not a throw) for different lengths', () => {
    const a = Buffer.alloc(32, 5).toString('base64');
    expect(equalStrings(a, `${a}`)).toBe(true);
    expect(equalStrings(a, `${a.slice(0, 10)}B${a.slice(11)}`)).toBe(false);
    expect(equalStrings(a, a.slice(0, -1))).toBe(false);
    expect(equalStrings(a, `${a}=`)).toBe(false);
    expect(equalStrings('', '')).toBe(true);
  });
});
