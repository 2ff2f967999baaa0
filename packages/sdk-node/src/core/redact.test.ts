import { describe, expect, it } from 'vitest';
import { REDACTED, redact, redactString } from './redact.js';

describe('redactString', () => {
  it.each([
    'call +14155550100 now',
    'call +1 (415) 555-0100 now',
    'call (415) 555-0100 now',
    'call 415.555.0100 now',
    'call +39 06 2222 4444 now',
    'call 4155550100 now',
  ])('removes the phone in %s', (text) => {
    const out = redactString(text);
    expect(out).toBe(`call ${REDACTED} now`);
  });

  it('removes tokens, keys, PEM blocks and ciphertexts', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzdGFmZl8xIn0.c2lnbmF0dXJlLXZhbHVl';
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----';
    const cipher = 'A'.repeat(100) + '==';
    const text = `token ${jwt}; auth Bearer abc.def; key businessos_live_9f8e7d6c5b4a; secret whsec_c2VjcmV0; ${pem}; c=${cipher}; hash=${'ab'.repeat(32)}`;
    const out = redactString(text);
    for (const secret of [jwt, 'abc.def', 'businessos_live_9f8e7d6c5b4a', 'whsec_c2VjcmV0', 'MIIEvQIBADANBg', cipher, 'ab'.repeat(32)]) {
      expect(out).not.toContain(secret);
    }
  });

  it('removes the value of a phone query parameter, URL-encoded or not', () => {
    expect(redactString('GET /api/lookup?phone=%2B390622224444 200')).toBe(`GET /api/lookup?phone=${REDACTED} 200`);
    expect(redactString('GET /api/lookup?limit=1&user_phone=%2B39%2006%202222%204444&x=1')).toBe(`GET /api/lookup?limit=1&user_phone=${REDACTED}&x=1`);
    expect(redactString('GET /api/lookup?Phone=+390622224444')).toBe(`GET /api/lookup?Phone=${REDACTED}`);
  });

  it('keeps timestamps, IPv4 addresses, short numbers and ids readable', () => {
    const text = 'at 2025-01-08T12:00:00Z from 127.0.0.1:3000 took 1234 ms, attempt 2, lead_clx123abc, req 6f1c2a9e-1d2b-4c3d-9e8f-0a1b2c3d4e5f';
    expect(redactString(text)).toBe(text);
  });
});

describe('redact', () => {
  it('replaces values under sensitive keys at any depth, in any case', () => {
    const out = redact({
      headers: { 'X-API-Key': 'k', authorization: 'Bearer t', 'idempotency-key': 'idem-1', accept: 'application/json' },
      body: { user_phone_encrypted: 'c', user_phone_hash: 'h', phone: '+14155550100', password: 'pw', phoneHashSalt: 's', access_token: 'a', name: 'ok' },
      list: [{ apiKey: 'k2' }],
    });
    expect(out).toEqual({
      headers: { 'X-API-Key': REDACTED, authorization: REDACTED, 'idempotency-key': 'idem-1', accept: 'application/json' },
      body: { user_phone_encrypted: REDACTED, user_phone_hash: REDACTED, phone: REDACTED, password: REDACTED, phoneHashSalt: REDACTED, access_token: REDACTED, name: 'ok' },
      list: [{ apiKey: REDACTED }],
    });
  });

  it('scrubs strings under harmless keys, flattens errors and survives cycles', () => {
    const cyclic: Record<string, unknown> = { note: 'reach me at +14155550100' };
    cyclic.self = cyclic;
    const error = Object.assign(new Error('failed for +14155550100'), { code: 'E_X' });
    expect(redact({ cyclic, error })).toEqual({
      cyclic: { note: `reach me at ${REDACTED}`, self: '[Circular]' },
      error: { name: 'Error', message: `failed for ${REDACTED}`, code: 'E_X', status: undefined },
    });
  });

  it('leaves the input untouched', () => {
    const input = { password: 'pw' };
    redact(input);
    expect(input.password).toBe('pw');
  });
});
