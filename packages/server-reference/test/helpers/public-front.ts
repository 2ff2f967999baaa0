import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback "public" address in front of a server started later (as a TLS-terminating proxy would be). */
export interface PublicFront {
  /** `http://127.0.0.1:<port>`: what `CAREOS_PUBLIC_URL` names. */
  url: string;
  /** Where requests go from now on. */
  forwardTo(origin: string): void;
  close(): Promise<void>;
}

/**
 * Starts the front first, so its URL can go into the server's configuration before the server
 * (on a port of its own) exists; requests are passed through unchanged, 502 until a target is set.
 */
export async function startPublicFront(): Promise<PublicFront> {
  let target: URL | null = null;
  const server = createServer((req, res) => {
    if (!target) {
      res.writeHead(502).end();
      return;
    }
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwardTo: (origin) => void (target = new URL(origin)),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
