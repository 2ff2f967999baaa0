import { constants, privateDecrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CareOSError, RequestValidationError, buildLeadRequest, hashPhone, publicKeyId } from '../src/index.js';
import { inboundLead, rsaKeyPair } from './helpers/fixtures.js';

const keys = rsaKeyPair();
const salt = 'salt-for-tests-0123456789';

function plainLead(phone: string) {
  const { user_phone_hash: _hash, user_phone_encrypted: _encrypted, source_platform: _platform, ...rest } = inboundLead();
  return { ...rest, phone };
}

describe('buildLeadRequest', () => {
  it('builds the validated seed body and key-id header that leads.ingest() sends', () => {
    const { body, headers } = buildLeadRequest(plainLead('(415) 555-0100'), { publicKey: keys.publicPem, phoneHashSalt: salt, platform: 'businessos' });
    expect(body.source_platform).toBe('businessos');
    expect(body.user_phone_hash).toBe(hashPhone('+14155550100', salt));
    const phone = privateDecrypt({ key: keys.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(body.user_phone_encrypted, 'base64'));
    expect(phone.toString()).toBe('+14155550100');
    expect(headers).toEqual({ 'x-careos-key-id': publicKeyId(keys.publicPem) });
    expect(body).not.toHaveProperty('phone');
  });

  it('rejects an invalid lead and a missing key before anything is built', () => {
    expect(() => buildLeadRequest({ ...plainLead('+14155550100'), user_consent: false as never }, { publicKey: keys.publicPem, phoneHashSalt: salt, platform: 'b' })).toThrow(
      RequestValidationError,
    );
    expect(() => buildLeadRequest(plainLead('+14155550100'), { phoneHashSalt: salt, platform: 'b' })).toThrow(CareOSError);
    expect(() => buildLeadRequest(plainLead('not a phone'), { publicKey: keys.publicPem, phoneHashSalt: salt, platform: 'b' })).toThrow(RequestValidationError);
  });

  it("reads a national phone in the lead's own country, as CareOS does, before the client's default", () => {
    const lead = { ...plainLead('07700 900123'), user_location_country: 'gb' };
    const { body } = buildLeadRequest(lead, { publicKey: keys.publicPem, phoneHashSalt: salt, platform: 'b' });
    expect(body.user_phone_hash).toBe(hashPhone('+447700900123', salt));
    const { user_location_country: _country, ...noCountry } = lead;
    const us = buildLeadRequest({ ...noCountry, phone: '(415) 555-0100' }, { publicKey: keys.publicPem, phoneHashSalt: salt, platform: 'b', defaultCountry: 'US' });
    expect(us.body.user_phone_hash).toBe(hashPhone('+14155550100', salt));
  });
});
