import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mapCategory } from './categories.js';
import { hashPhone, publicKeyId, unescapePem } from './crypto.js';
import { InvalidPhoneError, maskPhone, normalizePhone, tryNormalizePhone } from './phone.js';

describe('normalizePhone', () => {
  it.each([
    ['+39 06 2222 4444', '+390622224444'],
    ['+390622224444', '+390622224444'],
    ['0039 06 2222 4444', '+390622224444'],
    ['(415) 555-0100', '+14155550100'],
    ['+1 415.555.0100', '+14155550100'],
  ])('%s → %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it('uses the default country for national numbers', () => {
    expect(normalizePhone('06 2222 4444', { defaultCountry: 'IT' })).toBe('+390622224444');
  });

  it('rejects garbage without echoing it', () => {
    for (const input of ['abc', '+1 555', '', '1'.repeat(80)]) {
      expect(tryNormalizePhone(input)).toBeNull();
    }
    expect(() => normalizePhone('call me 555')).toThrow(InvalidPhoneError);
    try {
      normalizePhone('secret-555');
    } catch (error) {
      expect((error as Error).message).not.toContain('secret');
    }
  });

  it('masks all but the edges', () => {
    expect(maskPhone('+14155550100')).toBe('+14•••••••00');
  });
});

describe('hashPhone', () => {
  it('is hex SHA-256 of e164 + salt (seed formula)', () => {
    // printf '+14155550100salt' | sha256sum
    expect(hashPhone('+14155550100', 'salt')).toBe('4f39abd000d688c8719436763d19ca3ecc65161875f466a79eb2bb2c1b41c9ec');
    expect(hashPhone('+14155550100', 'salt')).not.toBe(hashPhone('+14155550100', 'pepper'));
  });
});

describe('publicKeyId', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  it('is 16 hex chars and the same from the public key, the private key and an escaped env value', () => {
    const id = publicKeyId(publicPem);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(publicKeyId(privatePem)).toBe(id);
    expect(publicKeyId(publicKey)).toBe(id);
    const seedForm = `"${publicPem.trim().replace(/\n/g, '\\n')}"`; // one line, literal \n, quoted
    expect(seedForm).not.toContain('\n');
    expect(publicKeyId(seedForm)).toBe(id);
    expect(unescapePem(seedForm)).toBe(publicPem);
  });
});

describe('mapCategory', () => {
  it('follows the seed table, subcategory first', () => {
    expect(mapCategory('healthcare', 'caregiver_hiring')).toBe('caregiver_hiring');
    expect(mapCategory('Therapy')).toBe('mental_health');
    expect(mapCategory('healthcare', 'unknown_thing')).toBe('general_healthcare');
    expect(mapCategory('nursing', null)).toBe('home_health');
    expect(mapCategory('made_up')).toBe('general_healthcare');
  });
});
