import { constants, createPublicKey, publicEncrypt, type KeyObject } from 'node:crypto';
import { publicKeyId, unescapePem } from '@careos/contract';
import { CareOSError } from '../core/errors.js';

/**
 * Encrypts phone numbers for CareOS with one public key, parsed once: RSA-OAEP with SHA-256,
 * base64 output, exactly the seed's `encryptPhoneForCareOS`. Parsing a PEM costs about as
 * much as the encryption itself, so hold on to an instance (the client does).
 */
export class PhoneEncryptor {
  /** The parsed public key. */
  readonly key: KeyObject;
  /** Id of the key (first 16 hex chars of SHA-256 over its DER), sent as `X-CareOS-Key-Id`. */
  readonly keyId: string;

  /**
   * @param publicKey PEM (also the `.env` one-line form with literal `\n`), or a `KeyObject`;
   *   a private key is accepted and its public half used
   * @throws {@link CareOSError} when the key cannot be read as an RSA key
   */
  constructor(publicKey: string | KeyObject) {
    let key: KeyObject;
    try {
      key = typeof publicKey === 'string' ? createPublicKey(unescapePem(publicKey)) : publicKey.type === 'public' ? publicKey : createPublicKey(publicKey);
    } catch (cause) {
      throw new CareOSError('publicKey is not a readable PEM public key (expected "-----BEGIN PUBLIC KEY-----...")', { cause });
    }
    if (key.asymmetricKeyType !== 'rsa') throw new CareOSError(`publicKey must be an RSA key, got ${key.asymmetricKeyType ?? 'unknown'}`);
    this.key = key;
    this.keyId = publicKeyId(key);
  }

  /** Encrypts `e164` (pass the output of `normalizePhone`) and returns base64 ciphertext. */
  encrypt(e164: string): string {
    return publicEncrypt(
      { key: this.key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      Buffer.from(e164, 'utf8'),
    ).toString('base64');
  }
}

const MAX_CACHED_KEYS = 16;
const byPem = new Map<string, PhoneEncryptor>();
const byKeyObject = new WeakMap<KeyObject, PhoneEncryptor>();

/**
 * The {@link PhoneEncryptor} for a key, from a small cache so that repeated calls with the same
 * PEM or `KeyObject` parse it once.
 */
export function phoneEncryptorFor(publicKey: string | KeyObject | PhoneEncryptor): PhoneEncryptor {
  if (publicKey instanceof PhoneEncryptor) return publicKey;
  if (typeof publicKey !== 'string') {
    let cached = byKeyObject.get(publicKey);
    if (cached === undefined) byKeyObject.set(publicKey, (cached = new PhoneEncryptor(publicKey)));
    return cached;
  }
  let cached = byPem.get(publicKey);
  if (cached === undefined) {
    cached = new PhoneEncryptor(publicKey);
    if (byPem.size >= MAX_CACHED_KEYS) byPem.delete(byPem.keys().next().value as string);
    byPem.set(publicKey, cached);
  }
  return cached;
}

/**
 * Encrypts a phone number for CareOS: RSA-OAEP (SHA-256), base64. Pass the E.164 form
 * (`normalizePhone`) so that it matches the hash.
 *
 * @param publicKey PEM, `KeyObject` or a {@link PhoneEncryptor}; parsed keys are cached
 */
export function encryptPhone(e164: string, publicKey: string | KeyObject | PhoneEncryptor): string {
  return phoneEncryptorFor(publicKey).encrypt(e164);
}
