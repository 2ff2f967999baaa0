import { createCipheriv, createDecipheriv, createHash, createSecretKey, randomBytes, randomFillSync, type KeyObject } from 'node:crypto';

/** `settings` key of the generated data key (used when `CAREOS_DATA_KEY` is not set). */
export const DATA_KEY_SETTING = 'data_key';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * IVs are cut from a buffer of random bytes refilled 4,096 IVs at a time: one call into the
 * CSPRNG per value was a measurable share of sealing a short one. Each IV is still 96 fresh
 * random bits, used once, and is consumed (copied by the cipher, encoded) before the next.
 */
const ivPool = Buffer.alloc(IV_BYTES * 4096);
let ivOffset = ivPool.length;

function freshIv(): Buffer {
  if (ivOffset === ivPool.length) {
    randomFillSync(ivPool);
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

/** The parts of a {@link DataKey} ciphertext. */
export interface DataKeyCiphertext {
  keyId: string;
  iv: string;
  tag: string;
  data: string;
}

/**
 * Splits a ciphertext into its parts without decrypting it (to pick the key by its id), or
 * `null` when the text is not in the `v1.<key id>.<iv>.<tag>.<data>` form.
 */
export function parseCiphertext(ciphertext: string): DataKeyCiphertext | null {
  const [version, keyId, iv, tag, data, extra] = ciphertext.split('.');
  if (version !== VERSION || !keyId || !iv || !tag || data === undefined || extra !== undefined) return null;
  return { keyId, iv, tag, data };
}

/**
 * AES-256-GCM with the server's data key, for secrets the server must read back (webhook
 * signing secrets; DESIGN §4.9). A ciphertext is `v1.<key id>.<iv>.<tag>.<data>` (base64url):
 * the key id names the key it needs, so a changed `CAREOS_DATA_KEY` fails with a clear
 * message instead of an authentication error. Each value is bound to a `context` (such as its
 * row id) as associated data, so a ciphertext copied onto another row does not decrypt.
 */
export class DataKey {
  /** First 8 hex characters of the key's SHA-256: identifies the key, reveals nothing of it. */
  readonly id: string;
  /** Prepared once: OpenSSL sets up a raw key on every call, a `KeyObject` about four times faster. */
  readonly #key: KeyObject;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('A data key is 32 bytes');
    this.id = createHash('sha256').update(key).digest('hex').slice(0, 8);
    this.#key = createSecretKey(key);
  }

  /** A fresh random key. */
  static generate(): DataKey {
    return new DataKey(randomBytes(32));
  }

  /** Encrypts `plaintext` for `context`. */
  encrypt(plaintext: string, context: string | Buffer): string {
    const iv = freshIv();
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(typeof context === 'string' ? Buffer.from(context, 'utf8') : context);
    const data = cipher.update(plaintext, 'utf8', 'base64url') + cipher.final('base64url');
    return `${VERSION}.${this.id}.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${data}`;
  }

  /** Decrypts what {@link encrypt} produced for the same `context`; throws when it cannot. */
  decrypt(ciphertext: string, context: string | Buffer): string {
    const parts = parseCiphertext(ciphertext);
    if (!parts) throw new Error('Not a data-key ciphertext');
    return this.decryptParts(parts, context);
  }

  /** {@link decrypt} of a ciphertext already split by {@link parseCiphertext}. */
  decryptParts(parts: DataKeyCiphertext, context: string | Buffer): string {
    if (parts.keyId !== this.id) throw new Error(`Encrypted with data key ${parts.keyId}, but the server has data key ${this.id} (was CAREOS_DATA_KEY changed?)`);
    // A fixed tag length: GCM would otherwise accept a truncated (weaker) tag.
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(parts.iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(typeof context === 'string' ? Buffer.from(context, 'utf8') : context);
    decipher.setAuthTag(Buffer.from(parts.tag, 'base64url'));
    return decipher.update(parts.data, 'base64url', 'utf8') + decipher.final('utf8');
  }

  /** The key as stored in `settings`. */
  toBase64(): string {
    return this.key.toString('base64');
  }

  /** Reads a key stored by {@link toBase64}. */
  static fromBase64(value: string): DataKey {
    return new DataKey(Buffer.from(value, 'base64'));
  }
}
