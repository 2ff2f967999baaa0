import { ErrorCode } from '@careos/contract';
import type { ErrorDetail } from './error-body.js';
import { readErrorBody } from './error-body.js';
import { headerValue, type ResponseHeaders } from './headers.js';

/**
 * Base class of every error this SDK throws, so `catch (e) { if (e instanceof CareOSError) ... }`
 * separates CareOS failures from bugs in the calling code.
 */
export class CareOSError extends Error {
  /** `'CareOSError'`, for logs and `error.name` checks. */
  override readonly name: string = 'CareOSError';
}

/**
 * The API answered with a non-2xx status. Subclasses exist per status (and, where the
 * server sends a stable `code` that callers branch on, per code); `instanceof` is the
 * intended way to tell them apart.
 */
export class APIError extends CareOSError {
  /** `'APIError'`, for logs and `error.name` checks. */
  override readonly name: string = 'APIError';
  /** HTTP status code. */
  readonly status: number;
  /** Machine-readable code from the error body, e.g. `RATE_LIMITED` (see `ErrorCode` in the contract). */
  readonly code: string | undefined;
  /** The body's `error` string, e.g. `Invalid API key`: the seed's exact wording. */
  readonly error: string | undefined;
  /** The request id to quote to CareOS support (`X-Request-Id`, or `request_id` from the body). */
  readonly requestId: string | undefined;
  /** Response headers, lower-cased names. */
  readonly headers: ResponseHeaders;
  /** Seconds the server asked us to wait (`retry-after-ms`, `Retry-After`, or the body's `retryAfter`). */
  readonly retryAfter: number | undefined;
  /** Field-level problems, when the server reported any. */
  readonly details: readonly ErrorDetail[] | undefined;
  /** The parsed JSON body, or the raw text when it was not JSON, or `undefined` when empty. */
  readonly body: unknown;

  /**
   * @param status HTTP status
   * @param body parsed body (or raw text)
   * @param headers response headers
   * @param retryAfterMs server-requested delay already parsed from the headers, if any
   */
  constructor(status: number, body: unknown, headers: ResponseHeaders, retryAfterMs?: number) {
    const parsed = readErrorBody(body);
    const requestId = headerValue(headers, 'x-request-id') ?? parsed.requestId;
    super(describe(status, parsed.error, parsed.message, parsed.code, requestId));
    this.status = status;
    this.code = parsed.code;
    this.error = parsed.error;
    this.requestId = requestId;
    this.headers = headers;
    this.details = parsed.details;
    this.body = body;
    this.retryAfter = retryAfterMs !== undefined ? retryAfterMs / 1000 : parsed.retryAfter;
  }

  /**
   * Builds the most specific error class for a response: a code-specific class when one is
   * registered for the body's `code`, else the class for the status.
   */
  static from(status: number, body: unknown, headers: ResponseHeaders, retryAfterMs?: number): APIError {
    const code = readErrorBody(body).code;
    const registered = code !== undefined ? errorClassByCode.get(code) : undefined;
    const Ctor = registered !== undefined && (registered.status === undefined || registered.status === status) ? registered.Ctor : errorClassForStatus(status);
    return new Ctor(status, body, headers, retryAfterMs);
  }
}

function describe(status: number, error?: string, message?: string, code?: string, requestId?: string): string {
  let text = `${status} ${error ?? 'status code (no error message in body)'}`;
  if (message && message !== error) text += `: ${message}`;
  if (code) text += ` [${code}]`;
  if (requestId) text += ` (request id ${requestId})`;
  return text;
}

/** 400: the server rejected the request (validation, consent, decryption, hash mismatch...). */
export class BadRequestError extends APIError {
  /** `'BadRequestError'`, for logs and `error.name` checks. */
  override readonly name: string = 'BadRequestError';
}
/** 401: missing, wrong or expired credentials. */
export class AuthenticationError extends APIError {
  /** `'AuthenticationError'`, for logs and `error.name` checks. */
  override readonly name: string = 'AuthenticationError';
}
/** 403: authenticated, but not allowed to do this. */
export class PermissionDeniedError extends APIError {
  /** `'PermissionDeniedError'`, for logs and `error.name` checks. */
  override readonly name: string = 'PermissionDeniedError';
}
/** 404: no such resource (or not visible to these credentials). */
export class NotFoundError extends APIError {
  /** `'NotFoundError'`, for logs and `error.name` checks. */
  override readonly name: string = 'NotFoundError';
}
/** 409: conflicts, e.g. an idempotency key still in progress (retried automatically) or a duplicate. */
export class ConflictError extends APIError {
  /** `'ConflictError'`, for logs and `error.name` checks. */
  override readonly name: string = 'ConflictError';
}
/** 422: e.g. an idempotency key reused with a different body. */
export class UnprocessableEntityError extends APIError {
  /** `'UnprocessableEntityError'`, for logs and `error.name` checks. */
  override readonly name: string = 'UnprocessableEntityError';
}
/** 429: rate limited; `retryAfter` says for how long. Retried automatically. */
export class RateLimitError extends APIError {
  /** `'RateLimitError'`, for logs and `error.name` checks. */
  override readonly name: string = 'RateLimitError';
}
/** 5xx: the server failed. Retried automatically. */
export class InternalServerError extends APIError {
  /** `'InternalServerError'`, for logs and `error.name` checks. */
  override readonly name: string = 'InternalServerError';
}

/** Constructor signature shared by every {@link APIError} subclass. */
export type APIErrorClass = new (status: number, body: unknown, headers: ResponseHeaders, retryAfterMs?: number) => APIError;

const errorClassByStatus: ReadonlyMap<number, APIErrorClass> = new Map<number, APIErrorClass>([
  [400, BadRequestError],
  [401, AuthenticationError],
  [403, PermissionDeniedError],
  [404, NotFoundError],
  [409, ConflictError],
  [422, UnprocessableEntityError],
  [429, RateLimitError],
]);

/**
 * Error classes keyed by the body's `code`. Code-specific subclasses (each extending the
 * class of its status, so status-based `instanceof` checks keep working) register here.
 */
const errorClassByCode = new Map<string, { Ctor: APIErrorClass; status: number | undefined }>();

/**
 * Registers a subclass for an error `code`; it wins over the status class. With `status`, only
 * responses of that status use it: a `NO_CONSENT` code on, say, a 400 from some proxy must not
 * become an error that claims to be a 403.
 */
export function registerErrorCode(code: string, Ctor: APIErrorClass, status?: number): void {
  errorClassByCode.set(code, { Ctor, status });
}

function errorClassForStatus(status: number): APIErrorClass {
  return errorClassByStatus.get(status) ?? (status >= 500 ? InternalServerError : APIError);
}

/**
 * 401 `TOKEN_EXPIRED`: the bearer token (integration or staff) has expired. The client refreshes
 * its token and replays the call once by itself, so you only see this when the fresh token was
 * refused too (or when you passed a token the client cannot refresh).
 */
export class TokenExpiredError extends AuthenticationError {
  /** `'TokenExpiredError'`, for logs and `error.name` checks. */
  override readonly name: string = 'TokenExpiredError';
}

/**
 * 403 `NO_CONSENT`: the client has not granted (or has revoked) consent to this therapist, or
 * is not linked to them. Purge what you hold about the client (seed §7); retrying will not help.
 */
export class NoConsentError extends PermissionDeniedError {
  /** `'NoConsentError'`, for logs and `error.name` checks. */
  override readonly name: string = 'NoConsentError';
}

/**
 * 403 `INSUFFICIENT_PERMISSION`: the client's permission level (BASIC, STANDARD, FULL) is too
 * low for this data, e.g. session prep at BASIC. The client decides their level.
 */
export class InsufficientPermissionError extends PermissionDeniedError {
  /** `'InsufficientPermissionError'`, for logs and `error.name` checks. */
  override readonly name: string = 'InsufficientPermissionError';
}

registerErrorCode(ErrorCode.TOKEN_EXPIRED, TokenExpiredError, 401);
registerErrorCode(ErrorCode.NO_CONSENT, NoConsentError, 403);
registerErrorCode(ErrorCode.INSUFFICIENT_PERMISSION, InsufficientPermissionError, 403);

/** The request never produced a response: DNS, refused or reset connection, TLS, proxy failure. */
export class APIConnectionError extends CareOSError {
  /** `'APIConnectionError'`, for logs and `error.name` checks. */
  override readonly name: string = 'APIConnectionError';
  /** @param options `cause`: the underlying network error */
  constructor(message = 'Connection error', options?: ErrorOptions) {
    super(message, options);
  }
}

/** An attempt exceeded its `timeout`, or the whole call exceeded its `deadline`. */
export class APITimeoutError extends APIConnectionError {
  /** `'APITimeoutError'`, for logs and `error.name` checks. */
  override readonly name: string = 'APITimeoutError';
  /** @param options `cause`: what timed out, or the last failure before the deadline */
  constructor(message = 'Request timed out', options?: ErrorOptions) {
    super(message, options);
  }
}

/** The caller's `AbortSignal` fired. Never retried. */
export class APIUserAbortError extends CareOSError {
  /** `'APIUserAbortError'`, for logs and `error.name` checks. */
  override readonly name: string = 'APIUserAbortError';
  /** @param options `cause`: the signal's reason */
  constructor(message = 'Request was aborted', options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * The request failed client-side validation against the contract's schemas; nothing was
 * sent. `details` lists each problem with a dotted path; values are never included.
 */
export class RequestValidationError extends CareOSError {
  /** `'RequestValidationError'`, for logs and `error.name` checks. */
  override readonly name: string = 'RequestValidationError';
  /** Which part of the request was invalid. */
  readonly location: 'body' | 'query' | 'params' | 'phone';
  /** One entry per problem. */
  readonly details: readonly ErrorDetail[];

  /**
   * @param location which part of the request failed
   * @param details the problems, by dotted path
   */
  constructor(location: RequestValidationError['location'], details: readonly ErrorDetail[]) {
    const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
    super(`Invalid request ${location}: ${summary}`);
    this.location = location;
    this.details = details;
  }
}
