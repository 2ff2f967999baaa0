import type { CareOSApp } from '../../src/index.js';

/** The blind-index token of an E.164 phone, to find a person's rows as the server does. */
export function phoneToken(app: CareOSApp, e164: string): string {
  return app.phi.blind.phone(e164);
}

/** Decrypts a sealed column value read straight from the database (`field` is `<table>.<column>`). */
export function openField(app: CareOSApp, field: `${string}.${string}`, ciphertext: unknown): string | null {
  if (ciphertext === null || ciphertext === undefined) return null;
  return app.phi.cipher.open(field, String(ciphertext));
}

/** Decrypts and parses a sealed JSON value (a grouped field such as `leads.content_enc`). */
export function openJsonField<T = Record<string, unknown>>(app: CareOSApp, field: `${string}.${string}`, ciphertext: unknown): T {
  return JSON.parse(openField(app, field, ciphertext)!) as T;
}

/** Seals a value as the server would store it in `field` (to write rows the server reads). */
export function sealField(app: CareOSApp, field: `${string}.${string}`, value: string): string {
  return app.phi.cipher.seal(field, value);
}
