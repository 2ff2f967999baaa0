import { Agent, request } from 'undici';

/** How long one attempt may take, connection to last response byte. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** What one POST produced. */
export interface AttemptOutcome {
  /** HTTP status, or `null` when no response arrived. */
  statusCode: number | null;
  /** The `Retry-After` header, if any. */
  retryAfter: string | undefined;
  /** Why it failed, short and free of the body (which is the receiver's, and could be anything); `null` on 2xx. */
  error: string | null;
  durationMs: number;
}

/** A connection pool for deliveries: keep-alive per receiver, connect timeout bounded by the attempt's. */
export function createWebhookAgent(): Agent {
  return new Agent({ connect: { timeout: WEBHOOK_TIMEOUT_MS }, keepAliveTimeout: 10_000, connections: 8 });
}

function describeFailure(error: unknown, timedOut: boolean): string {
  if (timedOut) return `Timed out after ${WEBHOOK_TIMEOUT_MS / 1000} s`;
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e?.code ?? e?.cause?.code;
  const message = e?.cause?.message ?? e?.message ?? 'unknown error';
  return (code ? `${code}: ${message}` : message).slice(0, 200);
}

/**
 * POSTs one delivery. Redirects are not followed (a 3xx is a failure: the receiver must
 * register its final URL), and the response body is read only to free the connection.
 */
export async function postWebhook(agent: Agent, url: string, body: string, headers: Record<string, string>, timeoutMs = WEBHOOK_TIMEOUT_MS): Promise<AttemptOutcome> {
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await request(url, { method: 'POST', body, headers, dispatcher: agent, signal, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
    const retryAfter = res.headers['retry-after'];
    const status = res.statusCode;
    return {
      statusCode: status,
      retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      error: status >= 200 && status < 300 ? null : status >= 300 && status < 400 ? `Redirect (${status}) not followed; register the final URL` : `HTTP ${status}`,
      durationMs: elapsed(),
    };
  } catch (error) {
    return { statusCode: null, retryAfter: undefined, error: describeFailure(error, signal.aborted), durationMs: elapsed() };
  }
}
