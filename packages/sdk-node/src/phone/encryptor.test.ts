import { constants, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CareOSError } from '../core/errors.js';
import { PhoneEncryptor, encryptPhone, phoneEncryptorFor } from './encryptor.js';
import { publicKeyId } from '@careos/contract';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const decrypt = (b64: string) =>
  privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(b64, 'base64')).toString();

describe('PhoneEncryptor', () => {
  it('encrypts with RSA-OAEP SHA-256 to base64 and knows its key id', () => {
    const encryptor = new PhoneEncryptor(pem);
    const ciphertext = encryptor.encrypt('+14155550100');
    expect(ciphertext).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(ciphertext, 'base64')).toHaveLength(256);
    expect(decrypt(ciphertext)).toBe('+14155550100');
    expect(encryptor.keyId).toBe(publicKeyId(publicKey));
  });

  it('accepts the one-line escaped PEM, a KeyObject and a private key', () => {
    const escaped = pem.trim().replace(/\n/g, '\\n');
    for (const key of [escaped, publicKey, privateKey]) {
      const encryptor = new PhoneEncryptor(key);
      expect(decrypt(encryptor.encrypt('+442079460018'))).toBe('+442079460018');
      expect(encryptor.keyId).toBe(publicKeyId(publicKey));
    }
  });

  it('rejects non-RSA and unreadable keys with a CareOSError', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    expect(() => new PhoneEncryptor(ec)).toThrow(/must be an RSA key/);
    expect(() => new PhoneEncryptor('nonsense')).toThrow(CareOSError);
  });
});

describe('encryptPhone', () => {
  it('parses each key once and reuses it', () => {
    expect(phoneEncryptorFor(pem)).toBe(phoneEncryptorFor(pem));
    expect(phoneEncryptorFor(publicKey)).toBe(phoneEncryptorFor(publicKey));
    const own = new PhoneEncryptor(pem);
    expect(phoneEncryptorFor(own)).toBe(own);
    expect(decrypt(encryptPhone('+14155550100', pem))).toBe('+14155550100');
  });
});
