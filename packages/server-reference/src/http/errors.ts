import { ErrorCode, ErrorText, type ErrorEnvelope } from '@careos/contract';
import type { Response } from 'express';
import { requestContext } from './context.js';

/** HTTP status of each error code. */
const STATUS_BY_CODE: Record<string, number> = {
  [ErrorCode.VALIDATION_FAILED]: 400,
  [ErrorCode.CONSENT_REQUIRED]: 400,
  [ErrorCode.PHONE_HASH_MISMATCH]: 400,
  [ErrorCode.DECRYPTION_FAILED]: 400,
  [ErrorCode.WEBHOOK_URL_REFUSED]: 400,
  [ErrorCode.INVALID_OAUTH_STATE]: 400,
  [ErrorCode.OAUTH_DECLINED]: 400,
  [ErrorCode.OAUTH_FAILED]: 400,
  [ErrorCode.AUTH_FAILED]: 401,
  [ErrorCode.TOKEN_EXPIRED]: 401,
  [ErrorCode.REFRESH_TOKEN_REUSED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.INVALID_SIGNATURE]: 403,
  [ErrorCode.INSUFFICIENT_PERMISSION]: 403,
  [ErrorCode.NO_CONSENT]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.METHOD_NOT_ALLOWED]: 405,
  [ErrorCode.ALREADY_EXISTS]: 409,
  [ErrorCode.CONTACT_EXISTS]: 409,
  [ErrorCode.NO_PHONE]: 409,
  [ErrorCode.NO_EMAIL]: 409,
  [ErrorCode.OPTED_OUT]: 409,
  [ErrorCode.SUPPRESSED]: 409,
  [ErrorCode.IDEMPOTENCY_IN_PROGRESS]: 409,
  [ErrorCode.INSUFFICIENT_STOCK]: 409,
  [ErrorCode.SLOT_TAKEN]: 409,
  [ErrorCode.INVALID_TRANSITION]: 409,
  [ErrorCode.BOOKING_NOT_SCHEDULED]: 409,
  [ErrorCode.CALENDAR_NOT_CONNECTED]: 409,
  [ErrorCode.CALENDAR_NEEDS_REAUTH]: 409,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: 415,
  [ErrorCode.IDEMPOTENCY_CONFLICT]: 422,
  [ErrorCode.BAA_REQUIRED]: 422,
  [ErrorCode.TOO_MANY_SEGMENTS]: 422,
  [ErrorCode.UNKNOWN_TEMPLATE]: 422,
  [ErrorCode.CALENDAR_EVENT_REFUSED]: 422,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.INTERNAL_ERROR]: 500,
  [ErrorCode.NOT_CONFIGURED]: 503,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
  [ErrorCode.PROVIDER_UNAVAILABLE]: 503,
};

/** The status for an error code (400 for codes this table does not know). */
export function statusForCode(code: string): number {
  return STATUS_BY_CODE[code] ?? 400;
}

/** The envelope fields of an error, before `request_id` is added. */
export type ErrorFields = Omit<ErrorEnvelope, 'request_id'>;

/**
 * An error the HTTP layer raises itself (malformed JSON, wrong content type, rate limit…),
 * with its status, envelope fields and any extra headers or body fields.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly fields: ErrorFields,
    readonly extra: { headers?: Record<string, string>; body?: Record<string, unknown> } = {},
  ) {
    super(fields.error);
  }
}

/** Sends an error envelope with the request id. */
export function sendError(res: Response, status: number, fields: ErrorFields, extraBody: Record<string, unknown> = {}): void {
  const body: ErrorEnvelope & Record<string, unknown> = { ...fields, ...extraBody, request_id: requestContext(res).requestId };
  res.status(status).json(body);
}

/** A 400 for a request part that failed its checks. */
export function invalid(part: 'body' | 'query' | 'params' | 'headers', message: string, details: ErrorFields['details'] = []): HttpError {
  const error = { body: ErrorText.invalidBody, query: ErrorText.invalidQuery, params: ErrorText.invalidParams, headers: ErrorText.invalidHeaders }[part];
  return new HttpError(400, { error, code: ErrorCode.VALIDATION_FAILED, message, ...(details.length ? { details } : {}) });
}
