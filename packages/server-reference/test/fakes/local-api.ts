import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a local API received. */
export interface LocalApiRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Raw body as text. */
  body: string;
  /** The body parsed as a form (`application/x-www-form-urlencoded`). */
  form: URLSearchParams;
}

/** An answer: status, body (JSON-serialised unless a string), headers. */
export interface LocalApiReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** The connection is closed instead of answering (the API did its work; the answer is lost, as after a timeout). */
  drop?: boolean;
  /** No answer ever comes (the API did its work; the client's timeout decides). */
  hang?: boolean;
}

/** A running local API: its origin, what it received, and a switch to hang the next request. */
export interface LocalApi {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  requests: LocalApiRequest[];
  /** The next request is recorded but never answered (the client's timeout decides). */
  hangNext(): void;
  /** The next request is recorded and answered `reply` instead of what the API would answer. */
  failNext(reply: LocalApiReply): void;
  close(): Promise<void>;
}

/**
 * Serves `handle` on 127.0.0.1 (port 0): the HTTP part of every third-party fake. Every request
 * is recorded before it is answered; hung answers are dropped on {@link LocalApi.close}.
 */
export async function startLocalApi(handle: (request: LocalApiRequest) => LocalApiReply | Promise<LocalApiReply>): Promise<LocalApi> {
  const requests: LocalApiRequest[] = [];
  const hung = new Set<ServerResponse>();
  let hangs = 0;
  const failures: LocalApiReply[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const parsed = new URL(req.url ?? '/', 'http://x');
      const request: LocalApiRequest = { method: req.method ?? 'GET', path: parsed.pathname, query: parsed.searchParams, headers: req.headers, body, form: new URLSearchParams(body) };
      requests.push(request);
      if (hangs > 0) {
        hangs--;
        hung.add(res);
        return;
      }
      // A handler may call out before answering (Graph validates a notification URL during the request).
      void Promise.resolve(failures.shift() ?? handle(request)).then((reply) => {
        if (reply.hang) {
          hung.add(res);
          return;
        }
        if (reply.drop) {
          res.socket?.destroy();
          return;
        }
        const text = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
        res.writeHead(reply.status, { ...(reply.body === undefined ? {} : { 'content-type': 'application/json' }), ...reply.headers }).end(text);
      });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    hangNext: () => void hangs++,
    failNext: (reply) => void failures.push(reply),
    async close() {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The `user:password` of a `Basic` authorization header, or `null`. */
export function basicCredentials(header: string | undefined): { user: string; password: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The token of a `Bearer` authorization header, or `null`. */
export function bearerToken(header: string | undefined): string | null {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1] ?? null;
}
