import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * The seed's phone hash: lower-case hex SHA-256 of `e164 + salt`. Always pass the E.164 form
 * (see `normalizePhone`) so both sides hash the same string.
 */
export function hashPhone(e164: string, salt: string): string {
  return createHash('sha256').update(e164 + salt).digest('hex');
}

/**
 * Id of an RSA key: the first 16 hex characters of SHA-256 over the public key's DER (SPKI)
 * encoding. Accepts a public or private key (PEM string or `KeyObject`); both give the same id.
 */
export function publicKeyId(key: KeyObject | string): string {
  const publicKey =
    typeof key === 'string' ? createPublicKey(unescapePem(key)) : key.type === 'public' ? key : createPublicKey(key);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/**
 * Accepts a PEM as it appears in `.env` files: possibly quoted, possibly on one line with
 * literal `\n` escapes (the seed's form), and returns a real multi-line PEM.
 */
export function unescapePem(value: string): string {
  let pem = value.trim();
  if ((pem.startsWith('"') && pem.endsWith('"')) || (pem.startsWith("'") && pem.endsWith("'"))) pem = pem.slice(1, -1);
  return pem.replace(/\\r/g, '').replace(/\\n/g, '\n').trim() + '\n';
}
