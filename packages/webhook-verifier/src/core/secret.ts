import { WebhookVerificationError } from '../errors.js';

// Messages never include the secret itself: they end up in logs.

const PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Checks a secret for the usual copy-paste slips and returns its base64 part (the Standard
 * Webhooks key, once decoded). `whsec_` is optional, as in other Standard Webhooks libraries.
 */
export function secretBase64(secret: unknown): string {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new WebhookVerificationError(
      'INVALID_SECRET',
      `No webhook secret given (got ${secret === '' ? 'an empty string' : typeof secret}): pass your endpoint's whsec_… secret, e.g. from process.env.CAREOS_WEBHOOK_SECRET, and check that the variable is set.`,
    );
  }
  const space = /\s/.exec(secret);
  if (space) {
    const where = space.index === 0 ? 'starts with' : space.index === secret.length - 1 ? 'ends with' : 'contains';
    throw new WebhookVerificationError(
      'SECRET_WHITESPACE',
      `The webhook secret ${where} whitespace (a space or line break, often from a .env file or a wrapped copy): remove it so the secret is exactly the whsec_… value.`,
    );
  }
  if (secret.startsWith('v1,')) {
    throw new WebhookVerificationError(
      'SECRET_HAS_V1_PREFIX',
      "The webhook secret starts with 'v1,', which marks a signature in the webhook-signature header, not a secret: use the whsec_… value from your endpoint settings.",
    );
  }
  const encoded = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  // Lengths of 4n+1, and padding on a text that is not a multiple of 4, cannot be decoded;
  // Buffer and atob disagree on what to do with them, so both are refused.
  if (!BASE64.test(encoded) || encoded.length % 4 === 1 || (encoded.endsWith('=') && encoded.length % 4 !== 0)) {
    throw new WebhookVerificationError(
      'INVALID_SECRET',
      'The webhook secret is not whsec_ followed by base64: copy the whole whsec_… value from your endpoint settings (not an API key or a signature).',
    );
  }
  return encoded;
}

/** The secrets to try, in order; several during a rotation. */
export function secretList(secrets: string | readonly string[]): readonly string[] {
  if (typeof secrets === 'string') return [secrets];
  if (!Array.isArray(secrets)) {
    secretBase64(secrets); // throws "No webhook secret given", naming what came instead
    return [];
  }
  if (secrets.length === 0) {
    throw new WebhookVerificationError('INVALID_SECRET', 'No webhook secrets given (an empty list): pass one whsec_… secret, or during a rotation both the new and the old one.');
  }
  return secrets;
}
