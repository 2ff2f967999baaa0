import { constants, generateKeyPairSync, publicEncrypt } from 'node:crypto';
import { publicKeyId } from '@careos/contract';

/** An RSA key pair as PEM strings, with its key id. */
export interface TestKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
  keyId: string;
}

/** A fresh 2048-bit key pair. */
export function generateTestKeys(): TestKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKeyPem, keyId: publicKeyId(publicKey) };
}

/** What a partner does: RSA-OAEP (SHA-256) encrypt the phone, base64. */
export function encryptPhone(publicKeyPem: string, phone: string): string {
  return publicEncrypt({ key: publicKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(phone, 'utf8')).toString('base64');
}

/** The seed's `.env` form of a PEM: one line, quoted, with literal `\n` escapes. */
export function seedStylePem(pem: string): string {
  return `"${pem.trim().replace(/\n/g, '\\n')}"`;
}
