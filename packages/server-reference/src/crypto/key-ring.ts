import { createPrivateKey, createPublicKey, webcrypto, type KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { ErrorCode, ErrorText, publicKeyId } from '@careos/contract';
import { DomainError } from '../domain/errors.js';

/** One private key of the ring, prepared for decryption. */
export interface RingKey {
  /** `publicKeyId()` of the key: what partners send as `X-CareOS-Key-Id`. */
  readonly id: string;
  readonly privateKey: KeyObject;
  /** SPKI PEM handed out by `GET /api/keys/public`. */
  readonly publicKeyPem: string;
  /** Size of a valid ciphertext in bytes (the modulus size). */
  readonly ciphertextBytes: number;
}

interface PreparedKey extends RingKey {
  /**
   * Several independent WebCrypto handles of the same key. WebCrypto runs RSA on libuv's
   * thread pool, off the event loop; but one OpenSSL key object serialises its private
   * operations, so each pool thread gets a copy of its own to decrypt in parallel.
   */
  readonly handles: webcrypto.CryptoKey[];
  next: number;
}

const OAEP = { name: 'RSA-OAEP', hash: 'SHA-256' } as const;
const MAX_PHONE_CHARS = 64;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function prepare(privateKey: KeyObject): PreparedKey {
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const copies = Math.max(2, Math.min(8, Number(process.env.UV_THREADPOOL_SIZE) || 4, availableParallelism() * 2));
  const handles = Array.from({ length: copies }, () =>
    createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).toCryptoKey(OAEP, false, ['decrypt']),
  );
  return {
    id: publicKeyId(privateKey),
    privateKey,
    publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
    ciphertextBytes: Math.ceil((privateKey.asymmetricKeyDetails?.modulusLength ?? 2048) / 8),
    handles,
    next: 0,
  };
}

function decryptionFailed(message?: string): DomainError {
  return new DomainError(ErrorCode.DECRYPTION_FAILED, ErrorText.decryptionFailed, message ? { message } : {});
}

/**
 * The server's phone-decryption keys: the current one and, during a rotation, the previous
 * one (DESIGN §4.5). Keys are parsed once; decryption is RSA-OAEP with SHA-256.
 */
export class KeyRing {
  readonly current: RingKey;
  readonly previous: RingKey | null;
  readonly #keys: PreparedKey[];

  constructor(current: KeyObject, previous: KeyObject | null = null) {
    const prepared = [prepare(current), ...(previous ? [prepare(previous)] : [])];
    this.#keys = prepared;
    this.current = prepared[0]!;
    this.previous = prepared[1] ?? null;
  }

  /** The key with this id, if the ring holds it. */
  byId(id: string): RingKey | undefined {
    return this.#keys.find((k) => k.id === id);
  }

  /**
   * Decrypts a base64 RSA-OAEP ciphertext into the UTF-8 text the partner encrypted. With a
   * key id only that key is tried; without one, the current key and then the previous one.
   *
   * @throws DomainError `DECRYPTION_FAILED` — never with any part of the plaintext.
   */
  async decrypt(ciphertextBase64: string, keyId?: string): Promise<string> {
    let candidates: PreparedKey[] = this.#keys;
    if (keyId !== undefined) {
      const key = this.#keys.find((k) => k.id === keyId);
      if (!key) {
        throw decryptionFailed(
          `X-CareOS-Key-Id ${keyId} is not a key this server holds; fetch the current key from GET /api/keys/public and encrypt again`,
        );
      }
      candidates = [key];
    }
    const compact = ciphertextBase64.replace(/\s+/g, '');
    if (!BASE64.test(compact)) throw decryptionFailed('user_phone_encrypted must be base64');
    const ciphertext = Buffer.from(compact, 'base64');
    for (const key of candidates) {
      if (ciphertext.length !== key.ciphertextBytes) continue;
      const handle = key.handles[key.next]!;
      key.next = (key.next + 1) % key.handles.length;
      let plain: ArrayBuffer;
      try {
        plain = await webcrypto.subtle.decrypt({ name: 'RSA-OAEP' }, handle, ciphertext);
      } catch {
        continue;
      }
      const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
      try {
        const decoded = text.decode(plain);
        if (decoded.length === 0 || decoded.length > MAX_PHONE_CHARS) throw new Error('length');
        return decoded;
      } catch {
        throw decryptionFailed('The decrypted value is not a phone number');
      }
    }
    throw decryptionFailed();
  }
}
