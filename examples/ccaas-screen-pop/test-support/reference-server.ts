// Shared by the example tests: the reference server with its demo data, a proxy in front of it
// that counts the lookups reaching CareOS (so a test can prove an answer came from the cache)
// and can make CareOS hang or fail, and the address of a CareOS that is down.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startServer, type RunningServer } from '@careos/server-reference';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';

/** The seed's test numbers and the demo patient they pop. */
export const DEMO = {
  found: '+39 06 2222 4444',
  notFound: '+39 123 456 7890',
  caseId: '9',
  patientName: 'Antonio Dorato',
  caseStatus: 'APPUNTAMENTO',
  clinic: 'Centro Oculistico Roma',
  treatment: 'SMILE Surgery',
  screenPopUrl: 'https://crm-gules-six.vercel.app/it/cases/9',
} as const;

export interface ReferenceCareOS {
  server: RunningServer;
  /** The demo contact centre's lookup key (`demo-credentials.json` → `lookup.apiKey`). */
  apiKey: string;
  /** The seed's placeholder key, which the demo data accepts too. */
  seedApiKey: string;
  close(): Promise<void>;
}

/** The reference server on a free loopback port, in memory, with the demo data; `env` configures it (e.g. `CAREOS_RATE_LIMIT_LOOKUP`). */
export async function startReferenceCareOS(env: Record<string, string> = {}): Promise<ReferenceCareOS> {
  const server = await startServer({ port: 0, dataDir: 'memory', seed: 'demo', logger: false, env });
  const { lookup } = server.demoCredentials!;
  return { server, apiKey: lookup.apiKey, seedApiKey: lookup.seedApiKey, close: () => server.close() };
}

/** What the proxy does with the next requests: pass them on, never answer, or answer 503. */
export type ProxyMode = 'forward' | 'hang' | 'unavailable';

export interface CountingProxy {
  /** Base URL to give the example instead of the server's. */
  url: string;
  /** Lookup requests that reached the proxy (forwarded or not). */
  readonly lookups: number;
  mode: ProxyMode;
  close(): Promise<void>;
}

/** A proxy in front of `target` that counts `/api/lookup` requests: what CareOS would have seen. */
export async function countingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  let lookups = 0;
  const state = { mode: 'forward' as ProxyMode };
  const server = createServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://proxy').pathname === '/api/lookup') lookups++;
    if (state.mode === 'hang') return; // answers nothing; the SDK's timeout has to end the wait
    if (state.mode === 'unavailable') {
      res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Service unavailable', request_id: 'req_proxy' }));
      return;
    }
    const forwarded = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  const url = await listen(server);
  return {
    url,
    get lookups() {
      return lookups;
    },
    get mode() {
      return state.mode;
    },
    set mode(mode: ProxyMode) {
      state.mode = mode;
    },
    close: () => stop(server),
  };
}

/** The base URL of a CareOS that is down: a loopback port that was free a moment ago, now refusing connections. */
export async function closedPortURL(): Promise<string> {
  const server = createServer();
  const url = await listen(server);
  await stop(server);
  return url;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function stop(server: Server): Promise<void> {
  server.closeAllConnections(); // hanging requests included
  return new Promise((resolve) => server.close(() => resolve()));
}

/** What {@link useReferenceLookup} gives a test file, set once its `beforeAll` has run. */
export interface ReferenceLookup {
  careos: ReferenceCareOS;
  proxy: CountingProxy;
}

/**
 * One test file's CareOS: the reference server and a counting proxy, started before its tests
 * with `CAREOS_API_URL` and `CAREOS_LOOKUP_API_KEY` pointing an example at the proxy (as its
 * production environment would), the proxy back to forwarding after each test, and both stopped
 * after the last. Call it before registering the file's own hooks, so that its `afterAll` runs
 * last: an example's client closes while CareOS is still up.
 */
export function useReferenceLookup(): ReferenceLookup {
  const harness = {} as ReferenceLookup;
  beforeAll(async () => {
    harness.careos = await startReferenceCareOS();
    harness.proxy = await countingProxy(harness.careos.server.url);
    vi.stubEnv('CAREOS_API_URL', harness.proxy.url);
    vi.stubEnv('CAREOS_LOOKUP_API_KEY', harness.careos.apiKey);
  });
  afterEach(() => {
    if (harness.proxy) harness.proxy.mode = 'forward';
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await harness.proxy?.close();
    await harness.careos?.close();
  });
  return harness;
}
