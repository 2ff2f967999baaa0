import { createCipheriv, createDecipheriv, createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

/** `settings` key of the data key that earlier versions generated for webhook secrets; read once to migrate them, then deleted. */
export const LEGACY_DATA_KEY_SETTING = 'data_key';

const VERSION = 'v1';
const IV_BYTES = 12;

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
 * AES-256-GCM with a 32-byte key, for values the server must read back (DESIGN §4.9). A
 * ciphertext is `v1.<key id>.<iv>.<tag>.<data>` (base64url): the key id names the key it needs,
 * so the wrong key fails with a clear message instead of an authentication error. Each value is
 * bound to a `context` (such as `settings.value:jwt_secret`) as associated data, so a
 * ciphertext copied onto another row or column does not decrypt.
 *
 * The key is held as a `KeyObject`: printing or logging a `DataKey` shows nothing of it.
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
    const parts = ciphertext.split('.');
    return parts.length === 5 && parts[0] === VERSION && parts[1] ? parts[1] : null;
  }

  /** Encrypts `plaintext` for `context`. */
  encrypt(plaintext: string | Buffer, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([typeof plaintext === 'string' ? cipher.update(plaintext, 'utf8') : cipher.update(plaintext), cipher.final()]);
    return [VERSION, this.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  /**
   * Decrypts what {@link encrypt} produced for the same `context`, as bytes.
   *
   * @throws {@link WrongKeyError} when the ciphertext names another key; an `Error` when it was
   * altered, belongs to another context, or is not a ciphertext at all.
   */
  decryptBytes(ciphertext: string, context: string): Buffer {
    const [version, keyId, iv, tag, data] = ciphertext.split('.');
    if (version !== VERSION || !keyId || iv === undefined || tag === undefined || data === undefined) throw new Error('Not a data-key ciphertext');
    if (keyId !== this.id) throw new WrongKeyError(keyId, this.id);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]);
    } catch {
      throw new Error(`A value encrypted with key ${keyId} does not authenticate for ${context} (altered, or copied from another row)`);
    }
  }

  /** {@link decryptBytes} as UTF-8 text. */
  decrypt(ciphertext: string, context: string): string {
    return this.decryptBytes(ciphertext, context).toString('utf8');
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
