import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** `settings` key of the generated data key (used when `CAREOS_DATA_KEY` is not set). */
export const DATA_KEY_SETTING = 'data_key';

const VERSION = 'v1';
const IV_BYTES = 12;

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

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('A data key is 32 bytes');
    this.id = createHash('sha256').update(key).digest('hex').slice(0, 8);
  }

  /** A fresh random key. */
  static generate(): DataKey {
    return new DataKey(randomBytes(32));
  }

  /** Encrypts `plaintext` for `context`. */
  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  /** Decrypts what {@link encrypt} produced for the same `context`; throws when it cannot. */
  decrypt(ciphertext: string, context: string): string {
    const [version, keyId, iv, tag, data] = ciphertext.split('.');
    if (version !== VERSION || !keyId || iv === undefined || tag === undefined || data === undefined) throw new Error('Not a data-key ciphertext');
    if (keyId !== this.id) throw new Error(`Encrypted with data key ${keyId}, but the server has data key ${this.id} (was CAREOS_DATA_KEY changed?)`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
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
