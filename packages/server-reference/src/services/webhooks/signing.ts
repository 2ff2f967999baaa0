import { sign, signLegacy } from '@careos/webhook-verifier';
import { SERVER_VERSION } from '../health.js';

/** Sent as `User-Agent` with every delivery, so receivers can tell our calls apart in their logs. */
export const WEBHOOK_USER_AGENT = `CareOS-Webhooks/${SERVER_VERSION}`;

/** What one attempt signs. */
export interface SignableDelivery {
  /** The delivery id: `webhook-id`, the same on every attempt so receivers can deduplicate. */
  id: string;
  event: string;
  /** The exact bytes sent. */
  body: string;
}

/**
 * Every header of one attempt (DESIGN §4.7): the Standard Webhooks trio, signed at `now`, and
 * the seed's legacy scheme under both its names — `X-CareOS-*`, and `X-LoveRescue-*` for
 * receivers written against the integration seed's own header names. One secret signs both.
 */
export function deliveryHeaders(secret: string, delivery: SignableDelivery, now: Date): Record<string, string> {
  const standard = sign(secret, delivery.body, { id: delivery.id, timestamp: now });
  // The legacy timestamp is the attempt's too (the event's own time is in the body): a retry
  // hours later must still pass a receiver's tolerance check.
  const legacy = signLegacy(secret, delivery.body, { event: delivery.event, timestamp: now });
  return {
    'content-type': 'application/json',
    'user-agent': WEBHOOK_USER_AGENT,
    ...standard,
    'X-CareOS-Signature': legacy['x-careos-signature'],
    'X-CareOS-Timestamp': legacy['x-careos-timestamp'],
    'X-CareOS-Event': legacy['x-careos-event'],
    'X-LoveRescue-Signature': legacy['x-careos-signature'],
    'X-LoveRescue-Timestamp': legacy['x-careos-timestamp'],
    'X-LoveRescue-Event': legacy['x-careos-event'],
  };
}
