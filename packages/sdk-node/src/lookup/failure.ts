import { ErrorText } from '@careos/contract';
import { APIConnectionError, APIError, APITimeoutError, APIUserAbortError, CareOSError, RateLimitError, RequestValidationError } from '../core/errors.js';

/**
 * Why a lookup has no answer:
 * - `INVALID_PHONE`: the input is no phone number (nothing was sent), or the API said so (400);
 * - `NOT_CONFIGURED`: no lookup API key (nothing was sent);
 * - `UNAUTHORIZED`: 401, the key is wrong or revoked;
 * - `RATE_LIMITED`: 429, see `retryAfter`;
 * - `TIMEOUT`: no answer within the budget (`timeout`, default 2 s);
 * - `CONNECTION_ERROR`: refused, reset, DNS, TLS;
 * - `SERVER_ERROR`: 5xx;
 * - `API_ERROR`: any other non-2xx answer, e.g. a 404 that is not the lookup's own "no case";
 * - `ABORTED`: the caller's `signal` fired;
 * - `CLIENT_ERROR`: anything else, e.g. the client was closed or the answer was unreadable.
 */
export type LookupFailureCode =
  | 'INVALID_PHONE'
  | 'NOT_CONFIGURED'
  | 'UNAUTHORIZED'
  | 'RATE_LIMITED'
  | 'TIMEOUT'
  | 'CONNECTION_ERROR'
  | 'SERVER_ERROR'
  | 'API_ERROR'
  | 'ABORTED'
  | 'CLIENT_ERROR';

/** What went wrong with a lookup, as `byPhone` resolves it (never with the phone number in it). */
export interface LookupFailureInfo {
  /** Why, in a word a program can branch on; see {@link LookupFailureCode}. */
  code: LookupFailureCode;
  /** One line for logs, e.g. `401 Unauthorized (request id req_…)`. */
  message: string;
  /** HTTP status, when the API answered. */
  status?: number;
  /** `X-Request-Id` of the answer, to quote to CareOS support. */
  requestId?: string;
  /** Seconds the API asked to wait (429). */
  retryAfter?: number;
}

/**
 * A lookup that got no answer, resolved instead of thrown so that a screen pop can never break
 * the call it pops for: show the new-lead form, as for "no case". Narrow with `'error' in result`.
 */
export interface LookupFailure {
  /** `false`, as for "no case": code that only checks `found` shows the new-lead path either way. */
  found: false;
  /** What went wrong. Its presence is what tells a failure from the API's "no case". */
  error: LookupFailureInfo;
}

/**
 * The failure a caller should see. When the deadline cut a retry short, the SDK's timeout error
 * carries the last real failure as its cause (a 429 whose `Retry-After` did not fit, a refused
 * connection): that cause says more than "deadline exceeded".
 */
export function rootFailure(error: unknown): unknown {
  if (error instanceof APITimeoutError && error.cause instanceof CareOSError) return error.cause;
  return error;
}

const INVALID_PHONE_ERRORS: ReadonlySet<string | undefined> = new Set([ErrorText.invalidPhone, ErrorText.phoneRequired]);

function code(error: unknown): LookupFailureCode {
  if (error instanceof APIError) {
    if (error.status === 401) return 'UNAUTHORIZED';
    if (error instanceof RateLimitError) return 'RATE_LIMITED';
    if (error.status >= 500) return 'SERVER_ERROR';
    if (error.status === 400 && INVALID_PHONE_ERRORS.has(error.error)) return 'INVALID_PHONE';
    return 'API_ERROR';
  }
  if (error instanceof APITimeoutError) return 'TIMEOUT';
  if (error instanceof APIConnectionError) return 'CONNECTION_ERROR';
  if (error instanceof APIUserAbortError) return 'ABORTED';
  if (error instanceof RequestValidationError) return 'INVALID_PHONE';
  if (error instanceof LookupNotConfiguredError) return 'NOT_CONFIGURED';
  return 'CLIENT_ERROR';
}

/** Describes any error as the `error` of a {@link LookupFailure}. */
export function describeLookupError(error: unknown): LookupFailureInfo {
  const info: LookupFailureInfo = { code: code(error), message: error instanceof Error ? error.message : String(error) };
  if (error instanceof APIError) {
    info.status = error.status;
    if (error.requestId !== undefined) info.requestId = error.requestId;
    if (error.retryAfter !== undefined) info.retryAfter = error.retryAfter;
  }
  return info;
}

/** No lookup API key was configured; thrown (with `throwOnError`) before anything is sent. */
export class LookupNotConfiguredError extends CareOSError {
  /** `'LookupNotConfiguredError'`, for logs and `error.name` checks. */
  override readonly name: string = 'LookupNotConfiguredError';
}
