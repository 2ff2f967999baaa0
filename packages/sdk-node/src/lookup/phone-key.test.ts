import { afterEach, describe, expect, it, vi } from 'vitest';
import { lookupPhoneKey } from './phone-key.js';

// The contract's normaliser (libphonenumber) wrapped in a spy, to see when it is called at all.
vi.mock('@careos/contract', async (importOriginal) => {
  const contract = await importOriginal<typeof import('@careos/contract')>();
  return { ...contract, tryNormalizePhone: vi.fn(contract.tryNormalizePhone) };
});
const { tryNormalizePhone } = await import('@careos/contract');
const parse = vi.mocked(tryNormalizePhone);

afterEach(() => {
  parse.mockClear();
});

describe('lookupPhoneKey', () => {
  it('takes E.164 as it is, without libphonenumber', () => {
    for (const e164 of ['+390622224444', '+14155550100', '+447911123456']) expect(lookupPhoneKey(e164, 'US')).toBe(e164);
    expect(parse).not.toHaveBeenCalled();
  });

  it.each([
    ['+39 06 2222 4444', 'US', '+390622224444'],
    ['0039 06 2222 4444', 'US', '+390622224444'],
    ['%2B39%2006%202222%204444', 'US', '+390622224444'],
    ['%252B390622224444', 'US', '+390622224444'],
    [' 390622224444', 'US', '+390622224444'],
    ['tel:+39-06-2222-4444', 'US', '+390622224444'],
    ['TEL:+39 06 2222 4444;ext=12', 'US', '+390622224444'],
    ['sip:+390622224444@carrier.example;user=phone', 'US', '+390622224444'],
    ['06 2222 4444', 'IT', '+390622224444'],
    ['(415) 555-0100', 'US', '+14155550100'],
    ['+39 123 456 7890', 'US', '+391234567890'],
  ] as const)('reads %j (default country %s) as %s', (input, country, expected) => {
    expect(lookupPhoneKey(input, country)).toBe(expected);
  });

  it('reads a leading space as a plain space when "+" gives no possible number', () => {
    // "+415 555 0100" would be a Swiss number too short to be possible; "415 555 0100" in the US is one.
    expect(lookupPhoneKey(' 415 555 0100', 'US')).toBe('+14155550100');
  });

  it('without a default country, keeps a national number as typed (digits only) for the server to read', () => {
    expect(lookupPhoneKey('06 2222 4444', undefined)).toBe('0622224444');
    expect(lookupPhoneKey('(06) 2222-4444', undefined)).toBe('0622224444');
    expect(lookupPhoneKey('333 222 4444', undefined)).toBe('3332224444');
    // International shapes do not depend on a country.
    expect(lookupPhoneKey('+39 06 2222 4444', undefined)).toBe('+390622224444');
    expect(lookupPhoneKey('0039 06 2222 4444', undefined)).toBe('+390622224444');
    expect(lookupPhoneKey('%2B39%2006%202222%204444', undefined)).toBe('+390622224444');
    for (const input of ['', 'hello', '12', '06 2222 4444 ext', '1'.repeat(16)]) expect(lookupPhoneKey(input, undefined), input).toBeNull();
  });

  it('is null for what is no phone number', () => {
    for (const input of ['', '   ', 'hello', '12', '+0123456789', '%E0%A4%A', 'x'.repeat(200), 42, null, undefined, {}]) {
      expect(lookupPhoneKey(input, 'US'), String(input)).toBeNull();
    }
  });

  it('does not parse input longer than the contract allows', () => {
    expect(lookupPhoneKey(`+39 06 2222 4444${' '.repeat(200)}`, 'US')).toBeNull();
    expect(parse).not.toHaveBeenCalled();
  });
});
