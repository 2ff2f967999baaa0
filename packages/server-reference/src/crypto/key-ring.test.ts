import { constants, generateKeyPairSync, publicEncrypt } from 'node:crypto';
import { publicKeyId } from '@careos/contract';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain/errors.js';
import { KeyRing } from './key-ring.js';

const pair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const seal = (publicKey: Parameters<typeof publicEncrypt>[0], text: string) =>
  publicEncrypt({ key: publicKey as never, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(text)).toString('base64');

describe('KeyRing', () => {
  const current = pair();
  const previous = pair();
  const ring = new KeyRing(current.privateKey, previous.privateKey);

  it('exposes the current key id and public PEM', () => {
    expect(ring.current.id).toBe(publicKeyId(current.publicKey));
    expect(ring.current.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    expect(ring.byId(publicKeyId(previous.publicKey))).toBe(ring.previous);
  });

  it('decrypts with the current key, then the previous one, and by key id', async () => {
    expect(await ring.decrypt(seal(current.publicKey, '+14155550100'))).toBe('+14155550100');
    expect(await ring.decrypt(seal(previous.publicKey, '+14155550101'))).toBe('+14155550101');
    expect(await ring.decrypt(seal(previous.publicKey, '+14155550102'), ring.previous!.id)).toBe('+14155550102');
    await expect(ring.decrypt(seal(previous.publicKey, '+14155550103'), ring.current.id)).rejects.toThrow(DomainError);
  });

  it('many decryptions in parallel all succeed', async () => {
    const phones = Array.from({ length: 40 }, (_, i) => `+1415555${String(i).padStart(4, '0')}`);
    expect(await Promise.all(phones.map((p) => ring.decrypt(seal(current.publicKey, p))))).toEqual(phones);
  });

  it('refuses unknown key ids, garbage and foreign ciphertexts with DECRYPTION_FAILED', async () => {
    for (const [text, keyId] of [
      [seal(current.publicKey, '+1'), 'ffffffffffffffff'],
      ['base64encryptedphone', undefined],
      ['%%%', undefined],
      [seal(pair().publicKey, '+14155550100'), undefined],
    ] as const) {
      const error = await ring.decrypt(text, keyId).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('DECRYPTION_FAILED');
      expect((error as DomainError).error).toBe('Failed to decrypt user data');
    }
  });
});
