import { describe, expect, it } from 'vitest';
import { ProviderError, scrubEmails, scrubPhones } from './types.js';

describe('scrubPhones', () => {
  it('blanks phone-like sequences in any format and keeps short numbers', () => {
    expect(scrubPhones("The 'To' number +14155550123 is not valid (code 21211)")).toBe("The 'To' number [number] is not valid (code 21211)");
    expect(scrubPhones('call (415) 555-0123 or 415.555.0123')).toBe('call ([number] or [number]');
    expect(new ProviderError('to +39 06 2222 4444 failed').message).toBe('to [number] failed');
  });
});

describe('scrubEmails', () => {
  it('blanks addresses, including ones with digits, before phones are looked for', () => {
    expect(scrubEmails('Bounce for jane.doe+care@clinic.example (550)')).toBe('Bounce for [address] (550)');
    expect(new ProviderError("'to' 4155550123@sms.example is invalid; call +14155550123").message).toBe("'to' [address] is invalid; call [number]");
  });
});
