/**
 * A body exactly as it arrived. Pass the raw bytes (or the string they were received as),
 * never an object re-serialised with `JSON.stringify`: a single changed byte breaks the
 * signature. A Node `Buffer` is a `Uint8Array`.
 */
export type RawPayload = string | Uint8Array | ArrayBuffer;

/**
 * Request headers: a plain object such as Node's `req.headers` (names in any case; array values
 * from repeated headers are accepted) or a Fetch `Headers`.
 */
export type HeaderSource = Record<string, string | string[] | undefined> | Headers;

/**
 * Which signature to check. `'standard'` (the default) checks the Standard Webhooks headers;
 * `'legacy'` checks `X-CareOS-Signature` (or `X-LoveRescue-Signature`) for receivers built on
 * the original scheme. Every CareOS delivery carries both.
 */
export type WebhookScheme = 'standard' | 'legacy';

/** Options of every verify function. */
export interface VerifyOptions {
  /**
   * How far the delivery's timestamp may be from your clock, in seconds, in either direction.
   * Default 300. Older deliveries fail with `TIMESTAMP_TOO_OLD` (which stops replays), newer
   * ones with `TIMESTAMP_TOO_NEW`. `Infinity` turns the check off, which is not recommended.
   */
  toleranceSeconds?: number;
  /** The current time (ms since the epoch, or a `Date`); defaults to the clock. For tests. */
  now?: number | Date;
  /** Which signature scheme to check; default `'standard'`. */
  scheme?: WebhookScheme;
}

/**
 * The Standard Webhooks headers of one delivery, as returned by `sign`. (A type alias rather
 * than an interface so it can be passed straight to `fetch` as `headers`.)
 */
export type StandardWebhookHeaders = {
  /** Unique message id; the same across retries of one delivery, so use it to de-duplicate. */
  'webhook-id': string;
  /** Unix time in seconds when the delivery was signed. */
  'webhook-timestamp': string;
  /** Space-separated `v1,<base64 HMAC-SHA256>` entries. */
  'webhook-signature': string;
};

/** Headers of the legacy scheme, for receivers written before Standard Webhooks. */
export type LegacyHeaders = {
  /** Hex HMAC-SHA256 of the raw body, keyed by the secret string exactly as issued. */
  'x-careos-signature': string;
  /** ISO 8601 time of the event. */
  'x-careos-timestamp': string;
  /** Event type, e.g. `alert.created`. */
  'x-careos-event': string;
};

/** Every header a CareOS delivery is signed with: both schemes, from one secret. */
export type WebhookTestHeaders = StandardWebhookHeaders & LegacyHeaders;

/** Options of `createTestHeaders`. */
export interface TestHeaderOptions {
  /** Event type for `X-CareOS-Event`, e.g. `payment.paid`. */
  event: string;
  /** `webhook-id`; a fresh `msg_…` id when omitted. */
  id?: string;
  /** Signing time; now when omitted. Set it in the past to test stale deliveries. */
  timestamp?: Date;
}

/** A delivery that passed verification, with its body parsed. */
export interface VerifiedWebhook<T = unknown> {
  /** The parsed JSON body; CareOS events carry `type` and `timestamp` plus the event's data. */
  event: T;
  /** The body as text, exactly as signed. */
  body: string;
  /**
   * `webhook-id` under the standard scheme: the same across retries, so store it to drop
   * duplicates (delivery is at least once). `undefined` under the legacy scheme, which has none.
   */
  id: string | undefined;
  /** The event type: the body's `type` field (signed), or the `X-CareOS-Event` header when the body has none. */
  type: string | undefined;
  /** When the delivery was signed (from the timestamp header that was checked). */
  timestamp: Date;
  /** Which scheme verified it. */
  scheme: WebhookScheme;
}
