/** What a check's HTTP call returned: the status and the parsed JSON body (`{}` when none). */
export interface CheckResponse {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** A call that never got an answer: timed out or could not connect. The message is safe text. */
export class UnreachableError extends Error {
  override readonly name = 'UnreachableError';
}

/**
 * One HTTP call of a check, with the check's abort signal (its timeout). Errors say what kind
 * of failure it was, never the URL's credentials or the request body.
 */
export async function checkRequest(url: string, init: { method?: string; headers?: Record<string, string>; form?: Record<string, string>; signal: AbortSignal }): Promise<CheckResponse> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: { accept: 'application/json', ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...init.headers },
      ...(init.form ? { body: new URLSearchParams(init.form) } : {}),
      signal: init.signal,
    });
  } catch (error) {
    throw new UnreachableError(describeFetchError(error, init.signal));
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new UnreachableError(describeFetchError(error, init.signal));
  }
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's error page): the status alone is reported.
  }
  return { status: response.status, body, headers: response.headers };
}

/** HTTP basic credentials as a header value. */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function describeFetchError(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return signal.reason instanceof CheckTimeout ? `no answer within ${signal.reason.seconds} s` : 'cancelled';
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  // Connection errors carry a code (ECONNREFUSED, ENOTFOUND); fetch's own refusals (a blocked port) only a message.
  const code = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message.slice(0, 60) : (error as Error).name;
  return `unreachable (${code})`;
}

/** The abort reason of a check that ran out of time. */
export class CheckTimeout extends Error {
  override readonly name = 'CheckTimeout';
  constructor(readonly seconds: number) {
    super(`no answer within ${seconds} s`);
  }
}
