/**
 * Compares two byte strings in time that depends only on their length, never throwing. A length
 * difference returns false at once: lengths are public (an HMAC-SHA256 is always 32 bytes), the
 * bytes are not.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * The same for two strings of ASCII (base64 signatures). Comparing the offered signature with
 * the expected one in their base64 form needs no decoding and no allocation, and only the
 * canonical encoding of the right bytes can match, so a garbled entry never gets through a
 * lenient decoder.
 */
export function equalStrings(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
