import { text, timestamp } from 'drizzle-orm/pg-core';

/**
 * A `timestamptz` read and written as `Date`. Values come from the injected clock rather than
 * `now()` in SQL, so tests that move time see consistent rows.
 */
export function ts(name: string) {
  return timestamp(name, { withTimezone: true, mode: 'date' });
}

/*
 * PHI columns (DESIGN §4.9). A PHI field is stored as an `encrypted` column (`<field>_enc`),
 * sealed by `FieldCipher` with `<table>.<column>` as associated data (fields always written and
 * read together share one column, sealed as the JSON of their object); when the field is searched
 * by equality, a `blindIndex` column (`<field>_bidx`) beside it holds the keyed HMAC of the
 * normalised value, and the index goes on that column. Both are nullable in the database only
 * because rows written before field encryption get them at start (`services/phi-migration.ts`);
 * the services always write them.
 */

/** Ciphertext of a PHI field (`v1.<key id>.<iv>.<tag>.<data>`); never compared, never indexed. */
export function encrypted(name: string) {
  return text(name);
}

/** Blind-index token (43 characters of base64url) of a normalised PHI value, for equality look-ups. */
export function blindIndex(name: string) {
  return text(name);
}

/**
 * A plaintext PHI column written by versions before field encryption. Start-up converts its
 * values into the encrypted columns and empties it; nothing reads or writes it otherwise.
 * Kept until every deployment has started once with field encryption, then dropped.
 */
export function legacyPlaintext(name: string) {
  return text(name);
}
