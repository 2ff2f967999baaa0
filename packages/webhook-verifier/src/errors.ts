/**
 * Every reason a delivery can fail verification. Programs branch on these; they never change
 * meaning between versions.
 *
 * | code | what happened |
 * | --- | --- |
 * | `PAYLOAD_PARSED` | the body was already parsed into an object (e.g. by `express.json()`) |
 * | `INVALID_PAYLOAD` | the body is not a string, `Buffer`, `Uint8Array` or `ArrayBuffer` |
 * | `BODY_ALREADY_READ` | the request stream was consumed before the verifier could read it |
 * | `PAYLOAD_TOO_LARGE` | the body is larger than the configured limit |
 * | `INVALID_SECRET` | the secret is missing, empty, or not `whsec_` followed by base64 |
 * | `SECRET_WHITESPACE` | the secret contains spaces or line breaks (a copy-paste slip) |
 * | `SECRET_HAS_V1_PREFIX` | the secret starts with `v1,`, which belongs to signatures, not secrets |
 * | `MISSING_HEADER` | a required header is absent (the message names it) |
 * | `INVALID_TIMESTAMP` | the timestamp header is not a Unix time (standard) or ISO 8601 time (legacy) |
 * | `TIMESTAMP_TOO_OLD` | the delivery is older than the tolerance (a replay, or a slow queue) |
 * | `TIMESTAMP_TOO_NEW` | the delivery is dated in the future beyond the tolerance (a clock is off) |
 * | `NO_V1_SIGNATURE` | `webhook-signature` holds no `v1,` entry this library can check |
 * | `NO_MATCHING_SIGNATURE` | no signature matched: wrong secret, or the body changed on the way |
 * | `INVALID_JSON` | the signature is valid but the body is not JSON |
 */
export type WebhookErrorCode =
  | 'PAYLOAD_PARSED'
  | 'INVALID_PAYLOAD'
  | 'BODY_ALREADY_READ'
  | 'PAYLOAD_TOO_LARGE'
  | 'INVALID_SECRET'
  | 'SECRET_WHITESPACE'
  | 'SECRET_HAS_V1_PREFIX'
  | 'MISSING_HEADER'
  | 'INVALID_TIMESTAMP'
  | 'TIMESTAMP_TOO_OLD'
  | 'TIMESTAMP_TOO_NEW'
  | 'NO_V1_SIGNATURE'
  | 'NO_MATCHING_SIGNATURE'
  | 'INVALID_JSON';

/**
 * Why a webhook failed verification: `code` is stable for programs, `message` says what went
 * wrong and how to fix it.
 *
 * @example
 * ```ts
 * try {
 *   verify(body, headers, secret);
 * } catch (error) {
 *   if (error instanceof WebhookVerificationError) console.warn(error.code, error.message);
 *   else throw error;
 * }
 * ```
 */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';

  /**
   * @param code - stable reason, see {@link WebhookErrorCode}
   * @param message - what went wrong and how to fix it
   */
  constructor(
    readonly code: WebhookErrorCode,
    message: string,
  ) {
    super(message);
  }
}
