import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a {@link Recorder} received. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** Header names as sent, with their values, in order. */
  rawHeaders: string[];
  body: Buffer;
}

/** A local HTTP server that records every request and answers with a status the test sets. */
export interface Recorder {
  url: string;
  requests: RecordedRequest[];
  /** The status the next requests are answered with (default 204). */
  status: number;
  /** Resolves with the first request (from now on, or already received) that `match` accepts. */
  waitFor(match: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

/** Starts a recorder on 127.0.0.1 and a free port. */
export async function startRecorder(): Promise<Recorder> {
  const requests: RecordedRequest[] = [];
  const waiters: { match: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }[] = [];
  const recorder = { status: 204 } as Recorder;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks) };
    requests.push(recorded);
    res.writeHead(recorder.status, { 'content-type': 'text/plain' }).end(`recorded ${requests.length}`);
    for (const waiter of waiters.filter((w) => w.match(recorded))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(recorded);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(recorder, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    waitFor(match: (r: RecordedRequest) => boolean, timeoutMs = 15_000) {
      const found = requests.find(match);
      if (found) return Promise.resolve(found);
      return new Promise<RecordedRequest>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching request within ${timeoutMs} ms (${requests.length} received)`)), timeoutMs);
        waiters.push({ match, resolve: (r) => (clearTimeout(timer), resolve(r)) });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
  return recorder;
}
