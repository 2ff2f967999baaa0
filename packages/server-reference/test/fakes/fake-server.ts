import { randomBytes } from 'node:crypto';
import { startLocalApi, type LocalApi, type LocalApiReply, type LocalApiRequest } from './local-api.js';

export { basicCredentials } from './local-api.js';

/** One request a fake received, recorded before it is answered. */
export interface RecordedRequest extends LocalApiRequest {
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

/** What a fake's route handler answers (a planned fault decides about hanging or dropping). */
export type FakeReply = Omit<LocalApiReply, 'drop' | 'hang'>;

/**
 * The fakes of providers with routes (Twilio, SendGrid) on {@link startLocalApi}: every request is
 * recorded with its route, and planned faults apply per route.
 */
export abstract class FakeHttpServer<Route extends string> {
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  /** `http://127.0.0.1:<port>`; set once {@link listen} resolves. */
  url = '';
  #api: LocalApi | null = null;
  private readonly faults = new Map<Route, PlannedFault[]>();

  /** Which route a request is for, or `null` (answered 404 in the provider's style). */
  protected abstract routeOf(method: string, path: string): Route | null;
  /** Answers one request (its side effects included). */
  protected abstract handle(route: Route, request: RecordedRequest): FakeReply | Promise<FakeReply>;
  /** The provider's "not found" answer. */
  protected abstract notFound(request: RecordedRequest): FakeReply;

  /** Starts listening on a free port of 127.0.0.1. */
  async listen(): Promise<this> {
    this.#api = await startLocalApi((request) => this.#answer(request));
    this.url = this.#api.url;
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
    await this.#api?.close();
  }

  async #answer(received: LocalApiRequest): Promise<LocalApiReply> {
    const route = this.routeOf(received.method, received.path);
    const request: RecordedRequest = { ...received, route: route ?? 'unknown', at: new Date() };
    this.requests.push(request);
    if (route === null) return typed(this.notFound(request));
    const fault = this.faults.get(route)?.shift();
    if (fault?.kind === 'fail') return typed({ status: fault.status, body: fault.body, headers: fault.headers });
    let reply: FakeReply;
    try {
      reply = await this.handle(route, request);
    } catch (error) {
      reply = { status: 500, body: { message: `fake failure: ${(error as Error).message}` } };
    }
    // Done and recorded either way; with a fault the answer never comes, or the connection drops.
    return { ...typed(reply), hang: fault?.kind === 'hang', drop: fault?.kind === 'reset' };
  }
}

/** A reply with the content type the providers send: text for a string body, JSON otherwise. */
function typed(reply: FakeReply): LocalApiReply {
  return typeof reply.body === 'string' ? { ...reply, headers: { 'content-type': 'text/plain', ...reply.headers } } : reply;
}

/** `n` random lower-case hex digits. */
export function randomHex(n: number): string {
  return randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n);
}
