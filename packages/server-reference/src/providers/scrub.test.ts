import { describe, expect, it } from 'vitest';
import { ProviderError, scrubPhones } from './types.js';

describe('scrubPhones', () => {
  it('blanks phone-like sequences in any format and keeps short numbers', () => {
    expect(scrubPhones("The 'To' number +14155550123 is not valid (code 21211)")).toBe("The 'To' number [number] is not valid (code 21211)");
    expect(scrubPhones('call (415) 555-0123 or 415.555.0123')).toBe('call ([number] or [number]');
    expect(new ProviderError('to +39 06 2222 4444 failed').message).toBe('to [number] failed');
  });
});
