import { createCipheriv, createDecipheriv, createHash, createSecretKey, randomBytes, randomFillSync, type KeyObject } from 'node:crypto';

/** `settings` key of the data key that earlier versions generated for webhook secrets; read once to migrate them, then deleted. */
export const LEGACY_DATA_KEY_SETTING = 'data_key';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A ciphertext names a key this key is not: the caller can say which key was expected. */
export class WrongKeyError extends Error {
  override readonly name = 'WrongKeyError';
  constructor(
    /** Id of the key the ciphertext needs. */
    readonly wantedKeyId: string,
    /** Id of the key that tried. */
    readonly keyId: string,
  ) {
    super(`Encrypted with key ${wantedKeyId}, not with key ${keyId}`);
  }
}

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

const aad = (context: string | Buffer): Buffer => (typeof context === 'string' ? Buffer.from(context, 'utf8') : context);

/**
 * AES-256-GCM with a 32-byte key, for values the server must read back (DESIGN §4.9). A
 * ciphertext is `v1.<key id>.<iv>.<tag>.<data>` (base64url): the key id names the key it needs,
 * so the wrong key fails with a clear message instead of an authentication error. Each value is
 * bound to a `context` (such as `settings.value:jwt_secret` or `patients.contact_enc`) as
 * associated data, so a ciphertext copied onto another row or column does not decrypt.
 *
 * The key is held as a `KeyObject`: OpenSSL sets up a raw key on every call (a `KeyObject` is
 * about four times faster), and printing or logging a `DataKey` shows nothing of it.
 */
export class DataKey {
  /** First 8 hex characters of the key's SHA-256: identifies the key, reveals nothing of it. */
  readonly id: string;
  readonly #key: KeyObject;

  constructor(key: Buffer | KeyObject) {
    const bytes = Buffer.isBuffer(key) ? key : key.export();
    if (bytes.length !== 32) throw new Error('A data key is 32 bytes');
    this.#key = Buffer.isBuffer(key) ? createSecretKey(Buffer.from(key)) : key;
    this.id = createHash('sha256').update(bytes).digest('hex').slice(0, 8);
  }

  /** A fresh random key. */
  static generate(): DataKey {
    return new DataKey(randomBytes(32));
  }

  /** The key id a ciphertext names, or `null` when `ciphertext` is not in this format. */
  static keyIdOf(ciphertext: string): string | null {
    return parseCiphertext(ciphertext)?.keyId ?? null;
  }

  /** Encrypts `plaintext` for `context`. */
  encrypt(plaintext: string | Buffer, context: string | Buffer): string {
    const iv = freshIv();
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(aad(context));
    // base64url straight from the cipher; `final()` comes before the tag exists.
    const data = typeof plaintext === 'string' ? cipher.update(plaintext, 'utf8', 'base64url') + cipher.final('base64url') : Buffer.concat([cipher.update(plaintext), cipher.final()]).toString('base64url');
    return `${VERSION}.${this.id}.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${data}`;
  }

  /**
   * Decrypts what {@link encrypt} produced for the same `context`, as bytes.
   *
   * @throws {@link WrongKeyError} when the ciphertext names another key; an `Error` when it was
   * altered, belongs to another context, or is not a ciphertext at all.
   */
  decryptBytes(ciphertext: string, context: string | Buffer): Buffer {
    const parts = parseCiphertext(ciphertext);
    if (!parts) throw new Error('Not a data-key ciphertext');
    const decipher = this.#decipher(parts, context);
    try {
      return Buffer.concat([decipher.update(Buffer.from(parts.data, 'base64url')), decipher.final()]);
    } catch {
      throw new Error(`A value encrypted with key ${parts.keyId} does not authenticate for ${String(context)} (altered, or copied from another row)`);
    }
  }

  /** {@link decryptBytes} as UTF-8 text. */
  decrypt(ciphertext: string, context: string | Buffer): string {
    const parts = parseCiphertext(ciphertext);
    if (!parts) throw new Error('Not a data-key ciphertext');
    return this.decryptParts(parts, context);
  }

  /** {@link decrypt} of a ciphertext already split by {@link parseCiphertext} (the hot path of field decryption). */
  decryptParts(parts: DataKeyCiphertext, context: string | Buffer): string {
    const decipher = this.#decipher(parts, context);
    try {
      return decipher.update(parts.data, 'base64url', 'utf8') + decipher.final('utf8');
    } catch {
      throw new Error(`A value encrypted with key ${parts.keyId} does not authenticate for ${String(context)} (altered, or copied from another row)`);
    }
  }

  #decipher(parts: DataKeyCiphertext, context: string | Buffer) {
    if (parts.keyId !== this.id) throw new WrongKeyError(parts.keyId, this.id);
    // A fixed tag length: GCM would otherwise accept a truncated (weaker) tag.
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(parts.iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(context));
    decipher.setAuthTag(Buffer.from(parts.tag, 'base64url'));
    return decipher;
  }

  /** The key as earlier versions stored it in `settings`. */
  toBase64(): string {
    return this.#key.export().toString('base64');
  }

  /** The raw key, to be wrapped by a master key. */
  toBytes(): Buffer {
    return this.#key.export();
  }

  /** Reads a key stored by {@link toBase64}. */
  static fromBase64(value: string): DataKey {
    return new DataKey(Buffer.from(value, 'base64'));
  }
}
