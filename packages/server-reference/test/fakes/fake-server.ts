import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a fake received, recorded before it is answered. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v3/mail/send`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Raw body as text. */
  body: string;
  /** Which of the fake's routes matched (`unknown` when none did). */
  route: string;
  at: Date;
}

/**
 * A planned misbehaviour for the next request on a route:
 * - `fail`: answer `status` with the provider's error body (no side effect at the provider);
 * - `hang`: do what the request asks (the message is accepted and recorded) but never answer;
 * - `reset`: do what the request asks, then drop the connection without an answer.
 */
export type PlannedFault =
  | { kind: 'fail'; status: number; body: unknown; headers: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'reset' };

/** What a fake's route handler asks the base server to do. */
export interface FakeReply {
  status: number;
  /** JSON-serialised unless a string; `undefined` sends an empty body. */
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * The HTTP part shared by the fakes: a node:http server on 127.0.0.1 (port 0) that records every
 * request, applies planned faults per route, and keeps hung responses until {@link close}.
 */
export abstract class FakeHttpServer<Route extends string> {
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  /** `http://127.0.0.1:<port>`; set once {@link listen} resolves. */
  url = '';
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => void this.dispatch(req.method ?? 'GET', req.url ?? '/', req.headers, Buffer.concat(chunks).toString('utf8'), res));
  });
  private readonly faults = new Map<Route, PlannedFault[]>();
  private readonly hung = new Set<ServerResponse>();

  /** Which route a request is for, or `null` (answered 404 in the provider's style). */
  protected abstract routeOf(method: string, path: string): Route | null;
  /** Answers one request (its side effects included). */
  protected abstract handle(route: Route, request: RecordedRequest): FakeReply | Promise<FakeReply>;
  /** The provider's "not found" answer. */
  protected abstract notFound(request: RecordedRequest): FakeReply;

  /** Starts listening on a free port of 127.0.0.1. */
  async listen(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Queues a fault for the next request(s) on `route`. */
  protected plan(route: Route, fault: PlannedFault, times = 1): void {
    const queue = this.faults.get(route) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.faults.set(route, queue);
  }

  /** Forgets recorded requests and planned faults (subclasses also clear their state). */
  reset(): void {
    this.requests.length = 0;
    this.faults.clear();
  }

  /** Requests that reached `route`. */
  requestsTo(route: Route): RecordedRequest[] {
    return this.requests.filter((r) => r.route === route);
  }

  /** Stops the server, dropping hung and idle connections. */
  async close(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.hung.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async dispatch(method: string, rawUrl: string, headers: IncomingHttpHeaders, body: string, res: ServerResponse): Promise<void> {
    const parsed = new URL(rawUrl, 'http://fake.invalid');
    const route = this.routeOf(method, parsed.pathname);
    const request: RecordedRequest = { method, path: parsed.pathname, query: parsed.searchParams, headers, body, route: route ?? 'unknown', at: new Date() };
    this.requests.push(request);
    if (route === null) return send(res, this.notFound(request));
    const fault = this.faults.get(route)?.shift();
    if (fault?.kind === 'fail') return send(res, { status: fault.status, body: fault.body, headers: fault.headers });
    let reply: FakeReply;
    try {
      reply = await this.handle(route, request);
    } catch (error) {
      reply = { status: 500, body: { message: `fake failure: ${(error as Error).message}` } };
    }
    if (fault?.kind === 'hang') {
      // Accepted and recorded; the answer never comes (the client's timeout decides).
      this.hung.add(res);
      res.on('close', () => this.hung.delete(res));
      return;
    }
    if (fault?.kind === 'reset') {
      res.socket?.destroy();
      return;
    }
    send(res, reply);
  }
}

function send(res: ServerResponse, reply: FakeReply): void {
  const text = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  const type = reply.body === undefined ? {} : { 'content-type': typeof reply.body === 'string' ? 'text/plain' : 'application/json' };
  res.writeHead(reply.status, { ...type, ...reply.headers }).end(text);
}

/** The `user:password` of a `Basic` authorization header, or `null`. */
export function basicCredentials(header: string | undefined): { user: string; password: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** `n` random lower-case hex digits. */
export function randomHex(n: number): string {
  return randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n);
}
