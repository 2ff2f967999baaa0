import { getTableName, type Column } from 'drizzle-orm';
import { DataKey, parseCiphertext } from './data-key.js';

/**
 * Names the place a value is stored: a drizzle column, or `"<table>.<column>"`. It becomes the
 * ciphertext's associated data, so a value copied into another column (or table) no longer
 * decrypts.
 */
export type FieldRef = Column | `${string}.${string}`;

/** A stored value that could not be decrypted; says where, never what. */
export class FieldDecryptionError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`Cannot decrypt ${field}: ${reason}`);
    this.name = 'FieldDecryptionError';
  }
}

const aadOfColumn = new WeakMap<Column, Buffer>();
const aadOfName = new Map<string, Buffer>();

/** The associated data of a field: `<table>.<column>` as UTF-8, computed once per field. */
export function fieldAad(field: FieldRef): Buffer {
  if (typeof field === 'string') {
    let aad = aadOfName.get(field);
    if (!aad) aadOfName.set(field, (aad = Buffer.from(field, 'utf8')));
    return aad;
  }
  let aad = aadOfColumn.get(field);
  if (!aad) aadOfColumn.set(field, (aad = Buffer.from(`${getTableName(field.table)}.${field.name}`, 'utf8')));
  return aad;
}

/** `<table>.<column>` of a field, for messages. */
export function fieldName(field: FieldRef): string {
  return typeof field === 'string' ? field : `${getTableName(field.table)}.${field.name}`;
}

/**
 * Field-level encryption of PHI (DESIGN §4.9): AES-256-GCM in the {@link DataKey} format
 * (`v1.<key id>.<iv>.<tag>.<data>`), associated data `<table>.<column>`. New values are sealed
 * with the current key; any key of the set opens what it sealed, so keys can rotate while old
 * values are still stored. Synchronous: the keys are loaded once at start, and sealing or
 * opening a short value takes a few microseconds.
 */
export class FieldCipher {
  readonly #keys: ReadonlyMap<string, DataKey>;
  readonly #current: DataKey;

  /** `keys` must include `current`. */
  constructor(current: DataKey, keys: readonly DataKey[] = [current]) {
    this.#current = current;
    this.#keys = new Map([...keys, current].map((key) => [key.id, key]));
  }

  /** Id of the key new values are sealed with. */
  get currentKeyId(): string {
    return this.#current.id;
  }

  /** Ids of every key that can open values. */
  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  /** Encrypts `value` for `field`. */
  seal(field: FieldRef, value: string): string {
    return this.#current.encrypt(value, fieldAad(field));
  }

  /** {@link seal}, passing `null` and `undefined` through as `null`. */
  sealOrNull(field: FieldRef, value: string | null | undefined): string | null {
    return value === null || value === undefined ? null : this.seal(field, value);
  }

  /** Encrypts the JSON text of `value` for `field`. */
  sealJson(field: FieldRef, value: unknown): string {
    return this.seal(field, JSON.stringify(value));
  }

  /**
   * Decrypts a value sealed for `field`.
   *
   * @throws {@link FieldDecryptionError} when the value is not a ciphertext, its key is unknown,
   * it was sealed for another field, or it was altered.
   */
  open(field: FieldRef, ciphertext: string): string {
    const parts = parseCiphertext(ciphertext);
    if (!parts) throw new FieldDecryptionError(fieldName(field), 'not a ciphertext');
    const key = this.#keys.get(parts.keyId);
    if (!key) throw new FieldDecryptionError(fieldName(field), `sealed with key ${parts.keyId}, which this server does not hold`);
    try {
      return key.decryptParts(parts, fieldAad(field));
    } catch {
      throw new FieldDecryptionError(fieldName(field), 'authentication failed (altered, or sealed for another field)');
    }
  }

  /** {@link open}, passing `null` through. */
  openOrNull(field: FieldRef, ciphertext: string | null): string | null {
    return ciphertext === null ? null : this.open(field, ciphertext);
  }

  /** Decrypts and parses what {@link sealJson} sealed. */
  openJson<T>(field: FieldRef, ciphertext: string): T {
    return JSON.parse(this.open(field, ciphertext)) as T;
  }
}
