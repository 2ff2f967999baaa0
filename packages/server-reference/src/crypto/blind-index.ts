import { createHash, createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

/** What a blind index is of; part of the HMAC input, so equal text of two kinds never matches. */
export type BlindIndexKind = 'phone' | 'email' | 'name' | 'ical_uid';

const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * Keyed blind indexes (DESIGN §4.9): HMAC-SHA256 of `<kind>\0<normalised value>` under a key of
 * its own (not a field-encryption key), as 43 characters of base64url. The same input always
 * gives the same token, so a btree (or unique) index on the token column answers equality
 * look-ups; without the key a token reveals nothing and cannot be checked against guesses.
 * Values must be normalised first — phones to E.164, emails trimmed and lower-cased — since
 * `+39 06…` and `+3906…` would otherwise be different tokens.
 */
export class BlindIndex {
  /** First 8 hex characters of the key's SHA-256. */
  readonly id: string;
  readonly #key: KeyObject;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('A blind-index key is 32 bytes');
    this.id = createHash('sha256').update(key).digest('hex').slice(0, 8);
    this.#key = createSecretKey(key);
  }

  /** A fresh random key. */
  static generate(): BlindIndex {
    return new BlindIndex(randomBytes(32));
  }

  /** The token of an already normalised value. */
  token(kind: BlindIndexKind, normalised: string): string {
    return createHmac('sha256', this.#key).update(`${kind}\u0000${normalised}`, 'utf8').digest('base64url');
  }

  /** The token of an E.164 phone; throws for anything else, which would never match. */
  phone(e164: string): string {
    if (!E164.test(e164)) throw new Error('BlindIndex.phone() takes an E.164 number');
    return this.token('phone', e164);
  }

  /** {@link phone}, passing `null` through. */
  phoneOrNull(e164: string | null): string | null {
    return e164 === null ? null : this.phone(e164);
  }

  /** The token of an email address, compared without case or surrounding spaces. */
  email(address: string): string {
    return this.token('email', normaliseEmail(address));
  }

  /**
   * The tokens of a name's words (see {@link nameWords}), one per distinct word, for a
   * containment search on a `text[]` column: a name is found by any of its whole words.
   */
  nameTokens(name: string | null): string[] {
    return name === null ? [] : nameWords(name).map((word) => this.token('name', word));
  }

  /** The key as stored in `settings`. */
  toBase64(): string {
    return this.key.toString('base64');
  }

  /** Reads a key stored by {@link toBase64}. */
  static fromBase64(value: string): BlindIndex {
    return new BlindIndex(Buffer.from(value, 'base64'));
  }
}

/** The form emails are compared in. */
export function normaliseEmail(address: string): string {
  return address.trim().toLowerCase();
}

/** Words of a name indexed at most (a longer name is still stored whole, only not all searchable). */
const MAX_NAME_WORDS = 12;

/**
 * The distinct words of a name in the form names are compared in: lower-cased, accents
 * removed (`José` → `jose`), split on anything that is not a letter or digit
 * (`Marlowe-Haversham` → `marlowe`, `haversham`).
 */
export function nameWords(name: string): string[] {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
  return [...new Set(words)].slice(0, MAX_NAME_WORDS);
}
