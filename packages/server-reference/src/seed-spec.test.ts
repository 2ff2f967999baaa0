import { describe, expect, it } from 'vitest';
import { parseSeedSpec } from './seed-spec.js';

describe('parseSeedSpec', () => {
  it('reads demo, lookup-scale and both, comma-separated or repeated', () => {
    expect(parseSeedSpec('demo')).toEqual({ demo: true, lookupScale: null });
    expect(parseSeedSpec('lookup-scale=100000')).toEqual({ demo: false, lookupScale: 100_000 });
    expect(parseSeedSpec('demo, lookup-scale=1_000_000')).toEqual({ demo: true, lookupScale: 1_000_000 });
    expect(parseSeedSpec(['demo', 'lookup-scale=1000'])).toEqual({ demo: true, lookupScale: 1000 });
  });

  it('refuses anything else, saying what it accepts', () => {
    for (const value of ['', 'demos', 'lookup-scale', 'lookup-scale=0', 'lookup-scale=-5', 'lookup-scale=1e5', 'lookup-scale=99999999999', 'demo,other']) {
      expect(() => parseSeedSpec(value), value).toThrow(/--seed/);
    }
  });
});
