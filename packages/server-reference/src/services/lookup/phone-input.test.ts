import { describe, expect, it } from 'vitest';
import { lookupE164, RECENT_INPUTS_MAX, RecentPhoneInputs } from './phone-input.js';

describe('lookupE164', () => {
  it('reads every shape of the seed number as the same E.164', () => {
    for (const input of [
      '+390622224444',
      '+39 06 2222 4444',
      '+3906 2222 4444',
      '0039 06 2222 4444',
      '00390622224444',
      ' 390622224444',
      ' 39 06 2222 4444',
      '%2B3906%202222%204444',
      '%2B390622224444',
      '06 2222 4444',
      '06-2222-4444',
      '(06) 2222 4444',
      '+39.06.2222.4444',
      '\u00a0+39 06 2222 4444 ',
    ]) {
      expect(lookupE164(input, 'IT'), JSON.stringify(input)).toBe('+390622224444');
    }
  });

  it('reads national numbers in the default country', () => {
    expect(lookupE164('(415) 555-0123', 'US')).toBe('+14155550123');
    expect(lookupE164('(415) 555-0123', 'IT')).toBe('+394155550123');
    expect(lookupE164('333 222 4444', 'IT')).toBe('+393332224444');
  });

  it('falls back to the written form when a leading space was only a space', () => {
    // " 0622224444" cannot be "+0622224444": read it nationally.
    expect(lookupE164(' 06 2222 4444', 'IT')).toBe('+390622224444');
  });

  it('answers null for what is no phone number, and never throws on bad escapes', () => {
    for (const input of ['', ' ', 'abc', '123', '+', '++39', '%', '%E0%A4%A', '%2B', 'ciao+39', '+39 06 2222 4444 / +39 333', 'x'.repeat(100)]) {
      expect(lookupE164(input, 'IT'), JSON.stringify(input)).toBeNull();
    }
  });
});

describe('RecentPhoneInputs', () => {
  const inputs = ['+390622224444', '+39 06 2222 4444', '0039 06 2222 4444', '06 2222 4444', '%2B39 06 2222 4444', 'not a phone', '12', '(415) 555-0123'];

  it('reads every input as lookupE164 does, the first time and again', () => {
    const recent = new RecentPhoneInputs('IT', 60_000);
    for (let round = 0; round < 2; round++) {
      for (const input of inputs) expect(recent.e164(input), JSON.stringify(input)).toBe(lookupE164(input, 'IT'));
    }
  });

  it('keeps the readings of inputs that needed parsing, a failed one included, and none of E.164 inputs', () => {
    const recent = new RecentPhoneInputs('IT', 60_000);
    for (const input of inputs) recent.e164(input);
    expect(recent.size).toBe(inputs.length - 1);
    recent.e164('+14155550123');
    expect(recent.size).toBe(inputs.length - 1);
  });

  it('holds at most RECENT_INPUTS_MAX inputs, and none with a time to live of 0', () => {
    const recent = new RecentPhoneInputs('IT', 60_000);
    for (let i = 0; i <= RECENT_INPUTS_MAX; i++) recent.e164(`06 ${String(1_000_000 + i)}`);
    expect(recent.size).toBe(RECENT_INPUTS_MAX);
    const off = new RecentPhoneInputs('IT', 0);
    expect(off.e164('+39 06 2222 4444')).toBe('+390622224444');
    expect(off.size).toBe(0);
  });
});
