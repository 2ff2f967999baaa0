import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  AuthenticationError,
  BadRequestError,
  CareOSError,
  ConflictError,
  InsufficientPermissionError,
  InternalServerError,
  NoConsentError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestValidationError,
  TokenExpiredError,
  UnprocessableEntityError,
  registerErrorCode,
} from './errors.js';

describe('APIError.from', () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
  ] as const)('maps %i to %o', (status, Class) => {
    const error = APIError.from(status, { error: 'x', request_id: 'r' }, {});
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(CareOSError);
    expect(error.name).toBe(Class.name);
  });

  it('keeps other statuses as plain APIError', () => {
    const error = APIError.from(418, undefined, {});
    expect(error.constructor).toBe(APIError);
    expect(error.message).toBe('418 status code (no error message in body)');
  });

  it('reads every envelope field and prefers the X-Request-Id header', () => {
    const body = { error: 'Invalid request body', code: 'VALIDATION_FAILED', message: 'Fix it', details: [{ path: 'a.b', message: 'Required' }], request_id: 'req_body' };
    const error = APIError.from(400, body, { 'x-request-id': 'req_header' });
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', error: 'Invalid request body', requestId: 'req_header', details: [{ path: 'a.b', message: 'Required' }] });
    expect(error.message).toBe('400 Invalid request body: Fix it [VALIDATION_FAILED] (request id req_header)');
  });

  it('survives bodies of the wrong shape', () => {
    for (const body of [null, 'text', 42, [], { error: 5, code: {}, details: 'x' }]) {
      const error = APIError.from(500, body, {});
      expect(error.code).toBeUndefined();
      expect(error.error).toBeUndefined();
      expect(error.details).toBeUndefined();
    }
  });

  it('exposes retryAfter in seconds from headers, else from the body', () => {
    expect(APIError.from(429, { error: 'Rate limit exceeded', retryAfter: 30 }, {}, 1500).retryAfter).toBe(1.5);
    expect(APIError.from(429, { error: 'Rate limit exceeded', retryAfter: 30 }, {}).retryAfter).toBe(30);
    expect(APIError.from(429, { error: 'Rate limit exceeded' }, {}).retryAfter).toBeUndefined();
  });

  it('picks a class registered for a code over the status class', () => {
    class TestExpiredError extends AuthenticationError {
      override readonly name: string = 'TestExpiredError';
    }
    registerErrorCode('TEST_EXPIRED', TestExpiredError);
    const error = APIError.from(401, { error: 'Token expired', code: 'TEST_EXPIRED' }, {});
    expect(error).toBeInstanceOf(TestExpiredError);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(APIError.from(401, { error: 'Token expired', code: 'OTHER' }, {}).constructor).toBe(AuthenticationError);
  });

  it.each([
    [401, 'TOKEN_EXPIRED', 'Token expired', TokenExpiredError, AuthenticationError],
    [403, 'NO_CONSENT', 'Client has not granted consent to this therapist', NoConsentError, PermissionDeniedError],
    [403, 'INSUFFICIENT_PERMISSION', "Client's permission level is too low for this data", InsufficientPermissionError, PermissionDeniedError],
  ] as const)('maps %i %s to its own class under the status class', (status, code, text, Class, StatusClass) => {
    const error = APIError.from(status, { error: text, code, request_id: 'req_body' }, { 'x-request-id': 'req_1' });
    expect(error).toBeInstanceOf(Class);
    // Code classes extend the status class, so `instanceof PermissionDeniedError` checks written before them still match.
    expect(error).toBeInstanceOf(StatusClass);
    expect(error).toMatchObject({ name: Class.name, status, code, error: text, requestId: 'req_1' });
  });

  it('keeps the status class when a known code arrives with another status', () => {
    // A code is only trusted with the status it belongs to: a NO_CONSENT on a 400 is a 400.
    const error = APIError.from(400, { error: 'x', code: 'NO_CONSENT' }, {});
    expect(error.constructor).toBe(BadRequestError);
    expect(APIError.from(500, { error: 'x', code: 'TOKEN_EXPIRED' }, {}).constructor).toBe(InternalServerError);
  });

  it('maps 429 RATE_LIMITED to RateLimitError with retryAfter', () => {
    const error = APIError.from(429, { error: 'Rate limit exceeded', code: 'RATE_LIMITED', retryAfter: 45, request_id: 'r' }, {});
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 45, requestId: 'r' });
  });
});

describe('client-side errors', () => {
  it('timeouts are connection errors; validation errors list their details', () => {
    expect(new APITimeoutError()).toBeInstanceOf(APIConnectionError);
    const error = new RequestValidationError('body', [{ path: 'user_consent', message: 'User consent required' }]);
    expect(error.message).toBe('Invalid request body: user_consent: User consent required');
    expect(error.details).toHaveLength(1);
    expect(error).toBeInstanceOf(CareOSError);
  });
});
