import { createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { DataKey, WrongKeyError } from './data-key.js';

/**
 * The key that wraps the data keys (DESIGN §4.9), kept outside the database. Shaped like a
 * cloud KMS (AWS KMS `Encrypt`/`Decrypt` with an encryption context, Google Cloud KMS with
 * additional authenticated data): the server hands it a data key and a context and stores only
 * what comes back, with {@link id} beside it. A KMS-backed implementation can be passed to
 * `startServer({ masterKey })` or `createApp({ masterKey })`.
 */
export interface MasterKeyProvider {
  /**
   * Stable id of the key, stored beside every wrapped data key, so a server started with another
   * master key says so instead of failing to decrypt (a KMS key ARN and version, or `local:…`).
   */
  readonly id: string;
  /** Where the key comes from, for messages (`CAREOS_MASTER_KEY`, a file path, …); never the key. */
  readonly description: string;
  /** Encrypts `plaintextKey`, bound to `context` (associated data); the result is text to store. */
  wrap(plaintextKey: Buffer, context: string): Promise<string>;
  /** Reverses {@link wrap} for the same `context`; rejects with {@link MasterKeyError} otherwise. */
  unwrap(wrapped: string, context: string): Promise<Buffer>;
}

/** A wrapped key that this master key cannot open: another key, another context, or altered. */
export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}

/** Length of a master key in bytes (AES-256). */
export const MASTER_KEY_BYTES = 32;

/**
 * A master key held in this process: 32 bytes from `CAREOS_MASTER_KEY`, a key file, or
 * generated. Wraps with AES-256-GCM, the context as associated data.
 */
export class LocalMasterKey implements MasterKeyProvider {
  readonly id: string;
  readonly #aead: DataKey;
  readonly #key: KeyObject;

  constructor(
    key: Buffer | KeyObject,
    readonly description: string,
  ) {
    this.#key = Buffer.isBuffer(key) ? createSecretKey(Buffer.from(key)) : key;
    const bytes = this.#key.export();
    if (bytes.length !== MASTER_KEY_BYTES) throw new MasterKeyError(`A master key is ${MASTER_KEY_BYTES} bytes (${description} has ${bytes.length})`);
    this.#aead = new DataKey(this.#key);
    // A hash of a random 256-bit key reveals nothing of it; the prefix keeps ids apart from data key ids.
    this.id = `local:${createHash('sha256').update('careos master key\0').update(bytes).digest('hex').slice(0, 16)}`;
  }

  /** A fresh random key. */
  static generate(description: string): LocalMasterKey {
    return new LocalMasterKey(randomBytes(MASTER_KEY_BYTES), description);
  }

  /**
   * Reads base64 text (`openssl rand -base64 32`; surrounding whitespace ignored).
   * @throws {@link MasterKeyError} naming `description`, never the value, when it is not 32 bytes of base64.
   */
  static fromBase64(text: string, description: string): LocalMasterKey {
    return new LocalMasterKey(parseMasterKey(text, description), description);
  }

  /** The key as base64 text, for a key file. */
  toBase64(): string {
    return this.#key.export().toString('base64');
  }

  async wrap(plaintextKey: Buffer, context: string): Promise<string> {
    return this.#aead.encrypt(plaintextKey, context);
  }

  async unwrap(wrapped: string, context: string): Promise<Buffer> {
    try {
      return this.#aead.decryptBytes(wrapped, context);
    } catch (error) {
      if (error instanceof WrongKeyError) throw new MasterKeyError(`${context} was wrapped by another master key, not by ${this.id} (${this.description})`);
      throw new MasterKeyError(`${context} does not unwrap with master key ${this.id} (${this.description}): ${(error as Error).message}`);
    }
  }
}

/** Base64 (standard or URL-safe) of exactly 32 bytes, else a {@link MasterKeyError} naming `description`. */
export function parseMasterKey(text: string, description: string): Buffer {
  const trimmed = text.trim();
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (key.length !== MASTER_KEY_BYTES) throw new MasterKeyError(`${description} must be ${MASTER_KEY_BYTES} random bytes in base64 (for example: openssl rand -base64 32)`);
  return key;
}
