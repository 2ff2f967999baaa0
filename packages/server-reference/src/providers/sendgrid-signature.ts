import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/**
 * SendGrid's signed Event Webhook: an ECDSA P-256 signature with SHA-256 over the timestamp
 * header followed by the raw request body, base64 (DER) in
 * `X-Twilio-Email-Event-Webhook-Signature`; the timestamp (Unix seconds) in
 * `X-Twilio-Email-Event-Webhook-Timestamp`. The verification key is the one the SendGrid
 * settings page shows: base64 DER (SubjectPublicKeyInfo) without PEM armour.
 */

/** Header carrying the base64 DER ECDSA signature. */
export const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
/** Header carrying the Unix time (seconds) that is signed along with the body. */
export const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';
/** How far the signed timestamp may be from now by default: five minutes either way. */
export const SENDGRID_DEFAULT_TOLERANCE_MS = 5 * 60_000;

/** Why a SendGrid event request was refused, or `ok`. */
export type SendGridSignatureCheck = { ok: true } | { ok: false; reason: 'missing_headers' | 'bad_timestamp' | 'stale_timestamp' | 'bad_signature' };

/** Options of {@link verifySendGridSignature}. */
export interface SendGridVerifyOptions {
  /** Largest accepted distance between the signed timestamp and now, in ms (default 5 minutes). */
  toleranceMs?: number;
  /** The clock (ms since epoch); injectable for tests. */
  now?: () => number;
}

/**
 * Parses the verification key from the SendGrid settings page (base64 DER SPKI); a PEM is
 * accepted too. Parse it once at start and reuse the `KeyObject`.
 *
 * @throws when the text is not an EC public key.
 */
export function parseSendGridPublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----BEGIN')
    ? createPublicKey(trimmed)
    : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ec') throw new Error('The SendGrid event webhook key must be an EC (P-256) public key');
  return key;
}

/**
 * Checks a SendGrid Event Webhook request: the timestamp within the tolerance, then the ECDSA
 * signature over `timestamp + rawBody`. `rawBody` must be the bytes received, before any JSON
 * parsing (re-serialising changes them).
 */
export function verifySendGridSignature(
  publicKey: KeyObject | string,
  rawBody: string | Buffer,
  signature: string | undefined | null,
  timestamp: string | undefined | null,
  options: SendGridVerifyOptions = {},
): SendGridSignatureCheck {
  if (!signature || !timestamp) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const now = options.now?.() ?? Date.now();
  const tolerance = options.toleranceMs ?? SENDGRID_DEFAULT_TOLERANCE_MS;
  if (Math.abs(now - Number(timestamp) * 1000) > tolerance) return { ok: false, reason: 'stale_timestamp' };
  const key = typeof publicKey === 'string' ? parseSendGridPublicKey(publicKey) : publicKey;
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody]);
  let valid = false;
  try {
    valid = verify('sha256', signed, { key, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
  } catch {
    valid = false;
  }
  return valid ? { ok: true } : { ok: false, reason: 'bad_signature' };
}
