/** Why a webhook failed verification; `code` is stable for programs, `message` says what to fix. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  constructor(
    readonly code: 'MISSING_HEADER' | 'INVALID_SECRET' | 'INVALID_TIMESTAMP' | 'TIMESTAMP_TOO_OLD' | 'TIMESTAMP_TOO_NEW' | 'NO_MATCHING_SIGNATURE' | 'INVALID_PAYLOAD',
    message: string,
  ) {
    super(message);
  }
}
