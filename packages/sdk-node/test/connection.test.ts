import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { APIConnectionError, APITimeoutError, CareOS, CareOSError, type AttemptInfo } from '../src/index.js';
import { fastRetries, inboundLead, ingestResponse, partner } from './helpers/fixtures.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const health = { status: 'ok', version: '1', database: 'ok', uptime_seconds: 1 };

let server: TestServer | undefined;
let raw: NetServer | undefined;
let client: CareOS | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  await new Promise<void>((resolve) => (raw ? raw.close(() => resolve()) : resolve()));
  client = server = raw = undefined;
});

/**
 * A bare HTTP/1.1 server over `net`, so a test decides what happens to each socket: `onRequest`
 * gets the socket and how many requests it has carried before this one.
 */
async function startRawServer(onRequest: (socket: Socket, previousOnSocket: number, total: number) => void): Promise<{ url: string; connections: () => number; requests: () => number }> {
  let connections = 0;
  let total = 0;
  const sockets = new Set<Socket>();
  raw = createNetServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffered = Buffer.alloc(0);
    let onSocket = 0;
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = buffered.subarray(0, end).toString('latin1');
        const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        buffered = buffered.subarray(end + 4 + length);
        onRequest(socket, onSocket++, total++);
      }
    });
  });
  const closeAll = raw.close.bind(raw);
  raw.close = ((cb?: (err?: Error) => void) => {
    for (const socket of sockets) socket.destroy();
    return closeAll(cb);
  }) as NetServer['close'];
  await new Promise<void>((resolve) => raw?.listen(0, '127.0.0.1', resolve));
  const { port } = raw.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, connections: () => connections, requests: () => total };
}

/** Lets undici return a finished socket to its pool before the next call picks one. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

function respond(socket: Socket, body: unknown): void {
  const text = JSON.stringify(body);
  socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: keep-alive\r\nkeep-alive: timeout=60\r\n\r\n${text}`);
}

describe('connection failures are retried', () => {
  it('a socket dropped after the server read the request', async () => {
    server = await startServer((_req, res, index, request) => {
      if (index === 0) request.socket.destroy();
      else json(res, 200, ingestResponse);
    });
    const attempts: AttemptInfo[] = [];
    client = new CareOS({ ...fastRetries, ...partner, baseURL: server.url, hooks: { onAttempt: (i) => attempts.push(i) } });
    await expect(client.leads.ingest(inboundLead())).resolves.toEqual(ingestResponse);
    expect(server.requests).toHaveLength(2);
    expect(attempts[0]?.error).toBeInstanceOf(APIConnectionError);
    expect(attempts[0]?.error).not.toBeInstanceOf(APITimeoutError);
    expect(attempts[0]?.status).toBeUndefined();
    // The retry replays the very same request.
    expect(server.requests[1]?.body.equals(server.requests[0]?.body as Buffer)).toBe(true);
    expect(server.requests[1]?.headers['idempotency-key']).toBe(server.requests[0]?.headers['idempotency-key']);
  });

  it('a reused keep-alive socket that the server resets (ECONNRESET)', async () => {
    const rawServer = await startRawServer((socket, previousOnSocket) => {
      if (previousOnSocket === 0) respond(socket, ingestResponse);
      else socket.resetAndDestroy();
    });
    const attempts: AttemptInfo[] = [];
    client = new CareOS({ ...fastRetries, ...partner, baseURL: rawServer.url, hooks: { onAttempt: (i) => attempts.push(i) } });
    await expect(client.leads.ingest(inboundLead())).resolves.toEqual(ingestResponse);
    await settle();
    // The second call goes out on the pooled socket, which the server resets.
    await expect(client.leads.ingest(inboundLead())).resolves.toEqual(ingestResponse);
    expect(rawServer.requests()).toBe(3);
    expect(rawServer.connections()).toBe(2);
    expect(attempts.map((a) => a.error?.name)).toEqual([undefined, 'APIConnectionError', undefined]);
    expect(attempts[1]?.error?.message).toMatch(/ECONNRESET|UND_ERR_SOCKET|other side closed/);
  });

  it('a keep-alive socket the server closed while idle', async () => {
    const rawServer = await startRawServer((socket) => {
      respond(socket, health);
      setTimeout(() => socket.end(), 10);
    });
    client = new CareOS({ ...fastRetries, baseURL: rawServer.url });
    await expect(client.health.check()).resolves.toEqual(health);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(client.health.check()).resolves.toEqual(health);
    expect(rawServer.connections()).toBe(2);
  });

  it('a refused connection, until the retries run out', async () => {
    const closed = await startServer(() => {});
    const url = closed.url;
    await closed.close();
    const attempts: AttemptInfo[] = [];
    client = new CareOS({ ...fastRetries, baseURL: url, maxRetries: 2, hooks: { onAttempt: (i) => attempts.push(i) } });
    const error = await client.health.check().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect(attempts).toHaveLength(3);
  });

  it('a dispatcher that throws while dispatching: the call rejects like a connection failure, nothing escapes it', async () => {
    const { Agent } = await import('undici');
    server = await startServer((_req, res) => json(res, 200, health));
    const agent = new Agent();
    // An interceptor that fails synchronously: composed dispatchers call it straight from dispatch().
    const failing = agent.compose(() => (_options: unknown, _handler: unknown) => {
      throw new Error('interceptor failed');
    });
    const attempts: AttemptInfo[] = [];
    client = new CareOS({ ...fastRetries, baseURL: server.url, maxRetries: 1, dispatcher: failing, hooks: { onAttempt: (i) => attempts.push(i) } });
    let promise: Promise<unknown> | undefined;
    expect(() => (promise = client?.health.check())).not.toThrow();
    const error = await promise?.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/interceptor failed/);
    expect(attempts).toHaveLength(2);
    expect(server.requests).toHaveLength(0);
    await agent.close();
  });
});

describe('failures retrying cannot fix', () => {
  it('a header value undici refuses to send fails once, as a CareOSError', async () => {
    server = await startServer((_req, res) => json(res, 200, health));
    const attempts: AttemptInfo[] = [];
    client = new CareOS({ ...fastRetries, baseURL: server.url, hooks: { onAttempt: (i) => attempts.push(i) } });
    const error = await client.health.check({ headers: { 'x-bad': 'line\r\nbreak' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CareOSError);
    expect(error).not.toBeInstanceOf(APIConnectionError);
    expect(attempts).toHaveLength(1);
    expect(server.requests).toHaveLength(0);
  });

  it('a closed client rejects new calls without sending', async () => {
    server = await startServer((_req, res) => json(res, 200, health));
    client = new CareOS({ ...fastRetries, baseURL: server.url });
    await client.health.check();
    await client.close();
    await expect(client.health.check()).rejects.toThrow(/closed/);
    expect(server.requests).toHaveLength(1);
  });
});

describe('keep-alive pooling', () => {
  it('reuses one connection for sequential calls', async () => {
    server = await startServer((_req, res) => json(res, 200, health));
    client = new CareOS({ ...fastRetries, baseURL: server.url });
    for (let i = 0; i < 5; i++) {
      await client.health.check();
      await settle();
    }
    expect(new Set(server.requests.map((r) => r.connection)).size).toBe(1);
  });
});
