import { ErrorCode, type ErrorStatus, type RouteSpec } from '@careos/contract';
import type { Dispatcher } from 'undici';
import { abortReason } from './abortable.js';
import type { WithResponse } from './api-promise.js';
import { APIError, APITimeoutError, APIUserAbortError, CareOSError } from './errors.js';
import { Exchange } from './exchange.js';
import { headerValue, type ResponseHeaders } from './headers.js';
import type { ResolvedOptions } from './options.js';
import { isRetryableStatus, parseRetryAfter } from './retry-policy.js';
import { classifyTransportError } from './transport.js';

/*
 * One attempt of a call: the request on the wire and its response read, checked and classified.
 * The retry loop around it (backoff, token refresh, hooks) is in `core.ts`.
 */

/** How one attempt ended. */
export type Outcome =
  | { kind: 'ok'; result: WithResponse<unknown> }
  | { kind: 'error'; error: CareOSError; retryable: boolean; status?: number; requestId?: string; retryAfterMs?: number }
  | { kind: 'deadline'; error: APITimeoutError }
  | { kind: 'abort'; error: APIUserAbortError };

/** Per-call state shared by the attempts of one call. */
export interface Call {
  route: RouteSpec;
  path: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  idempotencyKey: string | undefined;
  /** The caller's signal. */
  userSignal: AbortSignal | undefined;
  /** What waits (for a token, between retries) listen to: fires on the caller's abort or at the deadline. */
  waitSignal: AbortSignal | undefined;
  deadline: number | undefined;
  /** Set when the deadline timer fired. */
  deadlineHit: boolean;
  /** Aborts the attempt in flight; replaced for every attempt. */
  current: Exchange | undefined;
  started: number;
}

export function isTokenExpired(error: CareOSError): boolean {
  return error instanceof APIError && error.status === 401 && error.code === ErrorCode.TOKEN_EXPIRED;
}

export function deadlineError(deadline: number, cause?: unknown): APITimeoutError {
  return new APITimeoutError(`Deadline of ${deadline} ms exceeded`, cause === undefined ? undefined : { cause });
}

/**
 * Sends one attempt and reads its response. Never throws. The per-attempt timeout is our
 * own timer rather than undici's `headersTimeout`/`bodyTimeout`, which tick at a one-second
 * resolution; it covers connecting, waiting and reading the body.
 */
export async function sendAttempt(call: Call, timeout: number, dispatcherOf: () => Dispatcher, options: ResolvedOptions): Promise<Outcome> {
  const { route, path } = call;
  if (call.userSignal?.aborted) return { kind: 'abort', error: new APIUserAbortError(undefined, { cause: abortReason(call.userSignal) }) };
  if (call.deadlineHit) return { kind: 'deadline', error: deadlineError(call.deadline as number) };
  const exchange = new Exchange();
  call.current = exchange;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    exchange.abort(new APITimeoutError(`Request timed out after ${timeout} ms`));
  }, timeout);
  let statusCode: number;
  let responseHeaders: ResponseHeaders;
  let text: string;
  try {
    const dispatcher = dispatcherOf();
    if (options.logger.enabled('debug')) options.logger.debug(`${route.method} ${path}`, { headers: call.headers });
    ({ statusCode, headers: responseHeaders, text } = await exchange.send(dispatcher, {
      origin: options.origin,
      path,
      method: route.method,
      headers: call.headers,
      body: call.body ?? null,
    }));
  } catch (cause) {
    if (call.userSignal?.aborted) return { kind: 'abort', error: new APIUserAbortError(undefined, { cause }) };
    if (call.deadlineHit) return { kind: 'deadline', error: deadlineError(call.deadline as number, cause) };
    if (timedOut) return { kind: 'error', error: new APITimeoutError(`Request timed out after ${timeout} ms`, { cause }), retryable: true };
    if (cause instanceof CareOSError) return { kind: 'error', error: cause, retryable: false };
    const failure = classifyTransportError(cause, timeout);
    return { kind: 'error', error: failure.error, retryable: failure.retryable };
  } finally {
    clearTimeout(timer);
    call.current = undefined;
  }

  const requestId = headerValue(responseHeaders, 'x-request-id');
  if (statusCode >= 200 && statusCode < 300) {
    let data: unknown;
    try {
      data = text === '' ? undefined : JSON.parse(text);
    } catch (cause) {
      const error = new CareOSError(`${route.method} ${path} answered ${statusCode} with a body that is not JSON${requestId ? ` (request id ${requestId})` : ''}`, { cause });
      return { kind: 'error', error, retryable: false, status: statusCode, requestId };
    }
    if (options.validateResponses) {
      const parsed = route.response.safeParse(data);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
        return { kind: 'error', error: new CareOSError(`Response of ${route.id} does not match the contract: ${problems}`), retryable: false, status: statusCode, requestId };
      }
      data = parsed.data;
    }
    return { kind: 'ok', result: { data, response: { status: statusCode, headers: responseHeaders, requestId } } };
  }

  let errorBody: unknown = text === '' ? undefined : text;
  try {
    if (text !== '') errorBody = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's HTML page, say): keep the text.
  }
  const alternative = route.alternatives?.[statusCode as ErrorStatus];
  if (alternative !== undefined) {
    // A documented non-error answer (the lookup's 404 `{ found: false }`) counts only when its
    // body has the documented shape: a 404 from a proxy or a wrong base URL is still an error,
    // never a silent "no case".
    const parsed = alternative.response.safeParse(errorBody);
    if (parsed.success) {
      const data = options.validateResponses ? parsed.data : errorBody;
      return { kind: 'ok', result: { data, response: { status: statusCode, headers: responseHeaders, requestId } } };
    }
  }
  const error = APIError.from(statusCode, errorBody, responseHeaders, parseRetryAfter(responseHeaders));
  const retryAfterMs = error.retryAfter === undefined ? undefined : error.retryAfter * 1000;
  return { kind: 'error', error, retryable: isRetryableStatus(statusCode, error.code), status: statusCode, requestId, retryAfterMs };
}
