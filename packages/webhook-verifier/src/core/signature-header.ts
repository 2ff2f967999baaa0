import { WebhookVerificationError } from '../errors.js';

/**
 * The base64 signatures of the `v1,` entries in `webhook-signature`. Entries are separated by
 * spaces; entries of other versions (`v1a,…`, `v2,…`) are skipped, as the spec asks, so a sender
 * can add new schemes without breaking receivers. A trailing comma is dropped because Node joins
 * repeated headers with `", "`.
 */
export function v1Signatures(header: string): string[] {
  const found: string[] = [];
  for (const entry of header.includes(' ') ? header.split(' ') : [header]) {
    if (!entry.startsWith('v1,')) continue;
    found.push(entry.endsWith(',') ? entry.slice(3, -1) : entry.slice(3));
  }
  if (found.length === 0) {
    throw new WebhookVerificationError(
      'NO_V1_SIGNATURE',
      `webhook-signature holds no v1 signature (got ${JSON.stringify(header.slice(0, 60))}): it should be one or more space-separated "v1,<base64>" entries.`,
    );
  }
  return found;
}

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/** Checks the shape of a legacy hex signature, so a garbled header gets a precise message. */
export function checkLegacySignature(signature: string): void {
  if (!HEX_SHA256.test(signature)) {
    throw new WebhookVerificationError(
      'NO_MATCHING_SIGNATURE',
      `X-CareOS-Signature is not a hex HMAC-SHA256 (64 hex characters; got ${signature.length} characters): the header was changed on the way.`,
    );
  }
}

/** The message when no signature matched under the standard scheme. */
export const NO_MATCH_STANDARD =
  'No webhook-signature entry matched: either the secret is wrong (check it is the whsec_… secret of this endpoint; during a rotation pass both the new and the old one) ' +
  'or the body was changed before verification (verify the raw bytes as received, not JSON.stringify of a parsed body).';

/** The message when no signature matched under the legacy scheme. */
export const NO_MATCH_LEGACY =
  'X-CareOS-Signature did not match: either the secret is wrong (use the whsec_… secret of this endpoint exactly as issued, prefix included) ' +
  'or the body was changed before verification (verify the raw bytes as received, not JSON.stringify of a parsed body).';
