import { connect as netConnect } from 'node:net';
import { Agent, request, type Dispatcher } from 'undici';

/** A response as tests look at it. */
export interface TestResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, else the text. */
  body: any;
  text: string;
}

/** Options of {@link call}. */
export interface CallOptions {
  headers?: Record<string, string>;
  /** Sent as JSON (with Content-Type) unless `raw` is given. */
  json?: unknown;
  /** Sent as is. */
  raw?: string | Buffer;
  /** Connection pool to send through (e.g. one bound to another loopback source address). */
  dispatcher?: Dispatcher;
}

/**
 * A real HTTP request to a test server (undici, so msw's fetch interception used for
 * provider mocks never sees it).
 */
export async function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | Buffer | undefined = options.raw;
  if (options.json !== undefined && body === undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const res = await request(`${baseUrl}${path}`, { method: method as 'GET', headers, body, ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}) });
  const text = await res.body.text();
  let parsed: unknown = text;
  if ((res.headers['content-type'] ?? '').toString().includes('json') && text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(res.headers)) if (value !== undefined) flat[key] = Array.isArray(value) ? value.join(', ') : String(value);
  return { status: res.statusCode, headers: flat, body: parsed, text };
}

const sourceAgents = new Map<string, Agent>();

/**
 * A connection pool whose requests come from `address`, another loopback address such as
 * `127.0.0.2` (Linux routes all of 127/8 to the loopback interface), so a server that reads
 * the socket's peer address sees a different client.
 */
export function fromAddress(address: string): Dispatcher {
  let agent = sourceAgents.get(address);
  if (!agent) {
    agent = new Agent({
      connect: (options, callback) => {
        const socket = netConnect({ host: options.hostname, port: Number(options.port), localAddress: address });
        socket.once('connect', () => callback(null, socket));
        socket.once('error', (error) => callback(error, null));
        return socket;
      },
    });
    sourceAgents.set(address, agent);
  }
  return agent;
}
