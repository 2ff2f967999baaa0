import { WebhookVerificationError } from '../errors.js';
import type { VerifiedWebhook, WebhookScheme } from '../types.js';

/** What a verification established, before the body is parsed. */
export interface Verification {
  /** The body as text. */
  body: string;
  /** `webhook-id`; none under the legacy scheme. */
  id: string | undefined;
  /** The `X-CareOS-Event` header (legacy only; unsigned). */
  event: string | undefined;
  /** The checked timestamp, ms since the epoch. */
  signedAtMs: number;
  /** The scheme that verified the delivery. */
  scheme: WebhookScheme;
}

/** Parses a verified body into a {@link VerifiedWebhook}. */
export function parseVerified<T>(verification: Verification): VerifiedWebhook<T> {
  let event: T;
  try {
    event = JSON.parse(verification.body) as T;
  } catch (error) {
    throw new WebhookVerificationError(
      'INVALID_JSON',
      `The signature is valid but the body is not JSON (${(error as Error).message}). CareOS events are JSON; to accept other bodies, use verify(), which returns the text.`,
    );
  }
  const bodyType = (event as { type?: unknown } | null)?.type;
  return {
    event,
    body: verification.body,
    id: verification.id,
    // The body's `type` is covered by the signature; the X-CareOS-Event header is not.
    type: typeof bodyType === 'string' ? bodyType : verification.event,
    timestamp: new Date(verification.signedAtMs),
    scheme: verification.scheme,
  };
}
