import { z } from 'zod';

/**
 * Machine-readable error codes carried in the `code` field of every error body.
 * The seeds' own codes are kept verbatim; the rest are ours.
 */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  CONSENT_REQUIRED: 'CONSENT_REQUIRED',
  AUTH_FAILED: 'AUTH_FAILED',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  FORBIDDEN: 'FORBIDDEN',
  NO_CONSENT: 'NO_CONSENT',
  INSUFFICIENT_PERMISSION: 'INSUFFICIENT_PERMISSION',
  NOT_FOUND: 'NOT_FOUND',
  RATE_LIMITED: 'RATE_LIMITED',
  NOT_CONFIGURED: 'NOT_CONFIGURED',
  PHONE_HASH_MISMATCH: 'PHONE_HASH_MISMATCH',
  DECRYPTION_FAILED: 'DECRYPTION_FAILED',
  IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_CONFLICT',
  IDEMPOTENCY_IN_PROGRESS: 'IDEMPOTENCY_IN_PROGRESS',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  ALREADY_EXISTS: 'ALREADY_EXISTS',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  WEBHOOK_URL_REFUSED: 'WEBHOOK_URL_REFUSED',
  REFRESH_TOKEN_REUSED: 'REFRESH_TOKEN_REUSED',
  INSUFFICIENT_STOCK: 'INSUFFICIENT_STOCK',
  INVALID_SIGNATURE: 'INVALID_SIGNATURE',
  CONTACT_EXISTS: 'CONTACT_EXISTS',
  SLOT_TAKEN: 'SLOT_TAKEN',
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  BOOKING_NOT_SCHEDULED: 'BOOKING_NOT_SCHEDULED',
  NO_PHONE: 'NO_PHONE',
  NO_EMAIL: 'NO_EMAIL',
  OPTED_OUT: 'OPTED_OUT',
  SUPPRESSED: 'SUPPRESSED',
  BAA_REQUIRED: 'BAA_REQUIRED',
  TOO_MANY_SEGMENTS: 'TOO_MANY_SEGMENTS',
  UNKNOWN_TEMPLATE: 'UNKNOWN_TEMPLATE',
  INVALID_OAUTH_STATE: 'INVALID_OAUTH_STATE',
  OAUTH_DECLINED: 'OAUTH_DECLINED',
  OAUTH_FAILED: 'OAUTH_FAILED',
  PROVIDER_UNAVAILABLE: 'PROVIDER_UNAVAILABLE',
  CALENDAR_NOT_CONNECTED: 'CALENDAR_NOT_CONNECTED',
  CALENDAR_NEEDS_REAUTH: 'CALENDAR_NEEDS_REAUTH',
  CALENDAR_EVENT_REFUSED: 'CALENDAR_EVENT_REFUSED',
} as const;

/** One of the {@link ErrorCode} values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The exact `error` strings the seeds document. Partners match on these, so they are
 * part of the contract: change none of them.
 */
export const ErrorText = {
  invalidApiKey: 'Invalid API key',
  consentRequired: 'User consent required',
  decryptionFailed: 'Failed to decrypt user data',
  phoneHashMismatch: 'Phone hash mismatch',
  internal: 'Internal server error',
  rateLimited: 'Rate limit exceeded',
  invalidBody: 'Invalid request body',
  invalidQuery: 'Invalid query parameters',
  invalidParams: 'Invalid path parameters',
  invalidHeaders: 'Invalid request headers',
  malformedJson: 'Malformed JSON body',
  payloadTooLarge: 'Request body too large',
  unsupportedMediaType: 'Content-Type must be application/json',
  unsupportedFormMediaType: 'Content-Type must be application/x-www-form-urlencoded',
  invalidSignature: 'Invalid signature',
  notFound: 'Not found',
  routeNotFound: 'Route not found',
  idempotencyConflict: 'Idempotency key reused with a different request body',
  idempotencyInProgress: 'A request with this idempotency key is still being processed',
  invalidCredentials: 'Incorrect email or password',
  notAuthenticated: 'Not authenticated',
  tokenExpired: 'Token expired',
  forbidden: 'Insufficient role for this operation',
  partnerExists: 'Partner already exists',
  serviceUnavailable: 'Service unavailable',
  integrationCredentialsRequired: 'apiKey and apiSecret are required',
  invalidApiSecret: 'Invalid API secret',
  therapistNotFound: 'Therapist not found or inactive',
  invalidIntegrationToken: 'Invalid integration token',
  integrationAccessRevoked: 'Integration access revoked',
  ipNotAllowed: 'IP address not allowed',
  noConsent: 'Client has not granted consent to this therapist',
  insufficientPermission: "Client's permission level is too low for this data",
  linkExists: 'Client already linked to this therapist',
  unauthorized: 'Unauthorized',
  phoneRequired: 'Phone number is required',
  invalidPhone: 'Invalid phone number',
  webhookUrlRefused: 'Webhook URL not allowed',
  invalidRefreshToken: 'Invalid refresh token',
  accountExists: 'An account with this email already exists',
  insufficientStock: 'Insufficient stock',
  skuExists: 'An inventory item with this SKU already exists',
  contactExists: 'A contact with this phone number already exists',
  slotTaken: 'The staff member is already booked at that time',
  invalidTransition: 'The booking cannot change that way',
  bookingNotScheduled: 'The booking is not scheduled',
  noPhone: 'The contact has no phone number',
  noEmail: 'The contact has no email address',
  optedOut: 'The recipient has opted out of SMS',
  suppressed: 'The recipient address is suppressed',
  baaRequired: 'This message contains PHI and the provider has no signed BAA',
  tooManySegments: 'SMS body is too long',
  unknownTemplate: 'Unknown message template',
  unknownReference: 'Contact or staff member not found',
  invalidOAuthState: 'Invalid or expired OAuth state',
  oauthDeclined: 'The calendar connection was declined',
  oauthFailed: 'The calendar provider refused the authorization',
  calendarNotConfigured: 'Calendar provider not configured',
  calendarProviderUnavailable: 'Calendar provider unavailable',
  calendarNotConnected: 'That calendar is not connected',
  calendarNeedsReauth: 'That calendar must be connected again',
  calendarEventRefused: 'The calendar provider refused the event',
} as const;

/** Builds the seed's missing-field message: `Missing required fields: a or b`. */
export function missingFieldsMessage(fields: readonly string[]): string {
  return `Missing required fields: ${fields.join(' or ')}`;
}

/** One field-level problem inside an error body. */
export const ErrorDetail = z
  .object({
    path: z.string().describe('Dotted path of the offending field, e.g. `ai_extracted_details.urgency`'),
    message: z.string(),
  })
  .meta({ id: 'ErrorDetail' });

/**
 * Every error body: a superset of each seed's shape (`{ "error": "..." }`), with a stable
 * `code`, an optional human `message`, field `details` and the `request_id` to quote to support.
 */
export const ErrorEnvelope = z
  .object({
    error: z.string().describe("Human-readable error; the seeds' exact strings where they define one"),
    code: z.string().optional().describe('Stable machine-readable code, see ErrorCode'),
    message: z.string().optional().describe('Extra detail on what to change'),
    details: z.array(ErrorDetail).optional(),
    request_id: z.string().describe('Echo of X-Request-Id'),
  })
  .meta({ id: 'Error' });

/** The body of a 429: the error envelope plus `retryAfter` in seconds (seed §4). */
export const RateLimitedEnvelope = ErrorEnvelope.extend({
  retryAfter: z.number().int().nonnegative().describe('Seconds until the window resets'),
}).meta({ id: 'RateLimitedError' });

/** Parsed error body. */
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;
/** Parsed 429 body. */
export type RateLimitedEnvelope = z.infer<typeof RateLimitedEnvelope>;
