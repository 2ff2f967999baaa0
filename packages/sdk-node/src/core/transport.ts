import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { APIConnectionError, APITimeoutError, CareOSError } from './errors.js';

/** Longest time to wait for a TCP/TLS connection, ms, whatever the per-attempt timeout. */
const MAX_CONNECT_TIMEOUT = 10_000;

function envValue(env: Readonly<Record<string, string | undefined>>, name: string): string {
  return env[name.toLowerCase()] || env[name] || '';
}

/**
 * Creates the keep-alive connection pool a client owns: an undici `Agent` (one pool per
 * origin, sockets reused between calls), or an `EnvHttpProxyAgent` when `HTTP_PROXY`,
 * `HTTPS_PROXY` or `NO_PROXY` (either case) is set. Proxy settings are passed explicitly from
 * `env` so that a client built with an injected env never reads `process.env`.
 */
export function createDispatcher(env: Readonly<Record<string, string | undefined>>, timeout: number): Dispatcher {
  const agentOptions = { connect: { timeout: Math.min(timeout, MAX_CONNECT_TIMEOUT) } };
  const httpProxy = envValue(env, 'HTTP_PROXY');
  const httpsProxy = envValue(env, 'HTTPS_PROXY');
  const noProxy = envValue(env, 'NO_PROXY');
  if (httpProxy || httpsProxy || noProxy) return new EnvHttpProxyAgent({ ...agentOptions, httpProxy, httpsProxy, noProxy });
  return new Agent(agentOptions);
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
/** Errors that describe a misuse of the dispatcher, not a network failure: retrying cannot help. */
const FATAL_CODES = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'UND_ERR_DESTROYED', 'UND_ERR_CLOSED', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_CHAR', 'ERR_INVALID_URL']);

/** A transport failure sorted into what the retry loop needs to know. */
export interface TransportFailure {
  error: CareOSError;
  retryable: boolean;
}

/**
 * Sorts an error thrown by undici (while connecting, sending, or reading the response)
 * into a timeout (retryable), a connection failure (retryable: refused, reset, a reused
 * keep-alive socket the server had closed — `ECONNRESET`, `UND_ERR_SOCKET`, "other side
 * closed"), or a fatal misuse (not retryable). Aborts are told apart by the caller, which
 * knows which signal fired.
 */
export function classifyTransportError(cause: unknown, timeout: number): TransportFailure {
  const code = (cause as { code?: unknown } | null)?.code;
  const detail = cause instanceof Error ? cause.message : String(cause);
  if (typeof code === 'string' && TIMEOUT_CODES.has(code)) {
    return { error: new APITimeoutError(`Request timed out after ${timeout} ms (${code})`, { cause }), retryable: true };
  }
  if (typeof code === 'string' && FATAL_CODES.has(code)) {
    return { error: new CareOSError(`Request could not be sent: ${detail} (${code})`, { cause }), retryable: false };
  }
  const suffix = typeof code === 'string' ? ` (${code})` : '';
  return { error: new APIConnectionError(`Connection error: ${detail}${suffix}`, { cause }), retryable: true };
}
