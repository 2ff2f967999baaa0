import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

/** Options of {@link ConnectionDrain.drain}. */
export interface DrainOptions {
  /** Connections still open after this long (ms) are destroyed, answered or not. */
  deadlineMs: number;
  /** A connection with no request in flight is closed once no byte has arrived on it for this long (ms). */
  quietMs: number;
}

/** Lets a server stop without resetting a request a client has already sent. */
export interface ConnectionDrain {
  /** Whether {@link drain} has begun. */
  readonly draining: boolean;
  /**
   * Stops accepting connections and resolves once every connection is closed: requests already
   * received are answered (the last one owed on each connection with `Connection: close`), and
   * connections with nothing in flight are closed once they have stayed quiet for `quietMs`.
   */
  drain(options: DrainOptions): Promise<void>;
}

interface ConnectionState {
  /** Requests received whose response has not finished. */
  inFlight: number;
  /** `socket.bytesRead` when last looked at. */
  bytesRead: number;
  /** Since when (performance.now()) nothing has arrived and nothing has been in flight. */
  quietSince: number;
  closing: boolean;
}

/** Resolves in the check phase of the next event-loop iteration, after its poll for I/O. */
function nextIteration(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** How often quiet connections are looked for while draining. */
const SWEEP_MS = 25;

/**
 * Tracks the connections of `server` so that {@link ConnectionDrain.drain} can close them
 * safely. Node's own `server.close()` and `closeIdleConnections()` destroy every connection
 * with no response pending, including one whose next request is already in the socket buffer
 * (sent on a kept-alive connection, or on a connection just accepted) but not yet read: the
 * client then sees a reset for a request it had sent. Here a connection is closed only when
 * nothing is in flight on it and no byte has arrived on it for a while, judged after the
 * event loop has read what was waiting.
 */
export function trackConnections(server: Server): ConnectionDrain {
  const connections = new Map<Socket, ConnectionState>();
  let draining = false;
  let accepted = 0;

  server.on('connection', (socket: Socket) => {
    connections.set(socket, { inFlight: 0, bytesRead: socket.bytesRead, quietSince: performance.now(), closing: false });
    accepted += 1;
    socket.once('close', () => connections.delete(socket));
  });

  // First listener, so the hook is in place before the app can answer.
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const state = connections.get(req.socket);
    if (!state) return;
    state.inFlight += 1;
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      // The last answer owed on this connection while draining tells the client not to reuse it;
      // Node then closes the connection once the answer is sent. An answer with more requests
      // queued behind it keeps the connection open for them.
      if (draining && state.inFlight === 1 && !this.headersSent) this.shouldKeepAlive = false;
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as ServerResponse['writeHead'];
    res.once('close', () => {
      state.inFlight -= 1;
      state.bytesRead = req.socket.bytesRead;
      state.quietSince = performance.now();
    });
  });

  const sweep = (quietMs: number) => {
    const now = performance.now();
    for (const [socket, state] of connections) {
      if (state.inFlight > 0 || state.closing) continue;
      if (socket.bytesRead !== state.bytesRead) {
        // Part of a request arrived: wait for it to be parsed and answered.
        state.bytesRead = socket.bytesRead;
        state.quietSince = now;
        continue;
      }
      if (now - state.quietSince >= quietMs) {
        state.closing = true;
        socket.destroySoon();
      }
    }
  };

  return {
    get draining() {
      return draining;
    },
    async drain({ deadlineMs, quietMs }: DrainOptions): Promise<void> {
      if (draining) throw new Error('The server is already draining');
      draining = true;
      const started = performance.now();
      for (const state of connections.values()) state.quietSince = Math.max(state.quietSince, started);
      const deadline = setTimeout(() => {
        for (const socket of connections.keys()) socket.destroy();
      }, deadlineMs);
      // Connections the kernel completed before now wait to be accepted, and closing the listener
      // would reset them. Node accepts one connection per event-loop iteration, so keep going
      // until an iteration accepts none (for half the deadline at most, should clients keep
      // connecting).
      await nextIteration();
      for (let before = -1; accepted !== before && performance.now() - started < deadlineMs / 2; ) {
        before = accepted;
        await nextIteration();
      }
      const closed = new Promise<void>((resolve) => {
        // net's close, not http's: http's also destroys every idle connection at once.
        NetServer.prototype.close.call(server, () => resolve());
      });
      // Looked at after the poll phase (setImmediate), so bytes that were waiting have been read.
      const sweeper = setInterval(() => setImmediate(() => sweep(quietMs)), SWEEP_MS);
      try {
        await closed;
      } finally {
        clearInterval(sweeper);
        clearTimeout(deadline);
      }
    },
  };
}
