import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the test server received it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** Raw body bytes. */
  body: Buffer;
  /** Which TCP connection carried it (1 for the first the server accepted). */
  connection: number;
}

/** Scripts the response to the `index`-th request (0-based). */
export type Handler = (request: RecordedRequest, res: ServerResponse, index: number, raw: IncomingMessage) => void | Promise<void>;

/** A local HTTP server on 127.0.0.1 with a random port that records every request. */
export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  server: Server;
  close(): Promise<void>;
}

/** Starts a scripted server; close it in `afterEach`. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const connections = new WeakMap<Socket, number>();
  let connectionCount = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
        connection: connections.get(req.socket) ?? 0,
      };
      const index = requests.push(recorded) - 1;
      Promise.resolve(handler(recorded, res, index, req)).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(599).end(String(error));
      });
    });
  });
  server.on('connection', (socket) => connections.set(socket, ++connectionCount));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes a JSON response. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** An error envelope as the API sends it. */
export function errorBody(error: string, code?: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { error, ...(code ? { code } : {}), request_id: 'req_test', ...extra };
}
