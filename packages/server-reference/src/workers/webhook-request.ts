import { isIP } from 'node:net';
import { Agent, buildConnector, request } from 'undici';
import { WebhookUrlRefused, type WebhookUrlPolicy } from '../services/webhooks/url-policy.js';

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
  /**
   * The URL policy refused the receiver (see `WebhookUrlPolicy`): retrying cannot help, so the
   * delivery fails now instead of using up its schedule.
   */
  permanent?: boolean;
}

/**
 * A connector that applies the URL policy to every new connection: host names are resolved
 * through the policy's lookup (which refuses before connecting when any address is refused),
 * literal addresses are checked as they are, and the address the socket actually connected to
 * is checked again before the request is sent. A name that pointed to a public address at
 * registration and now points inside the network (DNS rebinding) is refused here.
 */
export function guardedConnector(policy: WebhookUrlPolicy, timeoutMs = WEBHOOK_TIMEOUT_MS): buildConnector.connector {
  const connect = buildConnector({ timeout: timeoutMs, lookup: policy.connectLookup });
  return (options, callback) => {
    const host = options.hostname.replace(/^\[|\]$/g, '');
    const literal = isIP(host) ? policy.addressRefusal(host) : null;
    if (literal) {
      callback(new WebhookUrlRefused(literal), null);
      return;
    }
    connect(options, (...result) => {
      const [error, socket] = result;
      if (error) {
        callback(error, null);
        return;
      }
      const remote = socket.remoteAddress;
      const refusal = remote ? policy.addressRefusal(remote) : 'The connection has no remote address';
      if (refusal) {
        socket.destroy();
        callback(new WebhookUrlRefused(refusal), null);
        return;
      }
      callback(null, socket);
    });
  };
}

/**
 * A connection pool for deliveries: keep-alive per receiver, connect timeout bounded by the
 * attempt's, and every connection checked against `policy` (see {@link guardedConnector}).
 */
export function createWebhookAgent(policy: WebhookUrlPolicy): Agent {
  return new Agent({ connect: guardedConnector(policy), keepAliveTimeout: 10_000, connections: 8 });
}

/** The policy refusal inside an error undici raised, if that is what it is. */
function refusalIn(error: unknown): WebhookUrlRefused | null {
  for (let e = error as { cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e instanceof WebhookUrlRefused) return e;
  }
  return null;
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
 * register its final URL), and the response body is read only to free the connection. With a
 * `policy`, a URL it refuses (say, http in production) is not even tried; the agent's
 * connector checks the addresses (see {@link createWebhookAgent}). Either refusal is a
 * `permanent` failure.
 */
export async function postWebhook(
  agent: Agent,
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
  policy?: WebhookUrlPolicy,
): Promise<AttemptOutcome> {
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  const elapsed = () => Math.round(performance.now() - started);
  const refused = policy?.urlRefusal(url);
  if (refused) return { statusCode: null, retryAfter: undefined, error: `Refused: ${refused}`.slice(0, 200), durationMs: 0, permanent: true };
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
    const refusal = refusalIn(error);
    if (refusal) return { statusCode: null, retryAfter: undefined, error: `Refused: ${refusal.reason}`.slice(0, 200), durationMs: elapsed(), permanent: true };
    return { statusCode: null, retryAfter: undefined, error: describeFailure(error, signal.aborted), durationMs: elapsed() };
  }
}
