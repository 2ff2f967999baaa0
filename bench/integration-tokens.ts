// Integration-token refresh under load. Server: a minimal local HTTP server in a child process,
// started from this same file (see `serve()` below), rather than the reference server, whose
// argon2id secret check (tens of ms by design) would dominate the figure and hide what the SDK
// adds. The minimal server answers the token exchange and the client list at once, so the ratio
// is the cost of the SDK's refresh path itself: one exchange round trip, then the 100 calls.
import { createServer, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { CareOSIntegration } from '@careos/sdk';
import { startChild } from './lib/child.ts';
import type { MeasureOptions } from './lib/measure.ts';
import { compare, figure, section } from './lib/report.ts';

const SERVE_ENV = 'CAREOS_BENCH_SERVE';
const BATCH = 100;

/**
 * The mock integration API. Tokens issued to an API key ending in `_expired` come with
 * `expiresIn: 0`, so the SDK finds its cached token expired at every batch and must exchange once
 * before the batch's calls go out; other keys get one-hour tokens that stay cached. After
 * `POST /bench/revoke`, every token issued so far to a key ending in `_refused` is answered with
 * 401 TOKEN_EXPIRED: the server-side expiry a client cannot foresee.
 */
function serve(): void {
  let issued = 0;
  let exchanges = 0;
  const revoked = new Set<string>();
  const live: string[] = [];
  const list = JSON.stringify({ clients: [], total: 0 });
  const expired = JSON.stringify({ error: 'Token expired', code: 'TOKEN_EXPIRED', request_id: 'req_bench' });
  const send = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/api/integration/auth') {
        exchanges++;
        const { apiKey } = JSON.parse(Buffer.concat(chunks).toString()) as { apiKey: string };
        const token = `tok${++issued}`;
        if (apiKey.endsWith('_refused')) live.push(token);
        return send(res, 200, JSON.stringify({ token, expiresIn: apiKey.endsWith('_expired') ? 0 : 3600, tokenType: 'Bearer' }));
      }
      if (req.url === '/bench/revoke') {
        for (const token of live.splice(0)) revoked.add(token);
        return send(res, 200, '{}');
      }
      if (req.url === '/bench/exchanges') return send(res, 200, JSON.stringify({ exchanges }));
      const token = (req.headers.authorization ?? '').slice('Bearer '.length);
      if (revoked.has(token)) send(res, 401, expired);
      else send(res, 200, list);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    console.log(`LISTENING http://127.0.0.1:${port}`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

/** Median of a list of numbers. */
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;

/**
 * (SDK integration client) Wall time of 100 concurrent `clients.list()` calls when the cached
 * token has expired (the SDK: one exchange, then the 100 calls with the new token) against the
 * same 100 calls with a valid cached token. Batches of each kind are interleaved and each kind's
 * median batch is kept. Also printed: the batch when the server, not the clock, says the token
 * expired (100 calls refused, one exchange, 100 replays), and exchanges per batch, which must be 1.
 */
export async function benchIntegrationTokens(options: MeasureOptions): Promise<boolean[]> {
  section('Integration client: 100 concurrent calls through an expired token');
  const server = await startChild('../integration-tokens.ts', { [SERVE_ENV]: 'integration-tokens' });
  const credentials = { apiSecret: 'sk_test_bench', therapistId: 'therapist_bench', baseURL: server.url, maxRetries: 0 };
  const expiring = new CareOSIntegration({ ...credentials, apiKey: 'int_test_bench_expired', env: {} });
  const cached = new CareOSIntegration({ ...credentials, apiKey: 'int_test_bench_cached', env: {} });
  const refused = new CareOSIntegration({ ...credentials, apiKey: 'int_test_bench_refused', env: {} });
  const exchanges = async () => ((await (await fetch(`${server.url}/bench/exchanges`)).json()) as { exchanges: number }).exchanges;
  const batch = async (client: CareOSIntegration) => {
    const started = performance.now();
    await Promise.all(Array.from({ length: BATCH }, () => client.clients.list()));
    return performance.now() - started;
  };
  try {
    const times = { expired: [] as number[], cached: [] as number[], refused: [] as number[] };
    const kinds = {
      expired: () => batch(expiring),
      cached: () => batch(cached),
      refused: async () => {
        await fetch(`${server.url}/bench/revoke`, { method: 'POST' }); // outside the timed batch
        return batch(refused);
      },
    };
    // Warm-up: connection pools filled, JIT done, every client holding a token.
    const warmupEnd = performance.now() + (options.warmupMs ?? 500);
    while (performance.now() < warmupEnd) for (const run of Object.values(kinds)) await run();
    const before = await exchanges();
    let expiredBatches = 0;
    let refusedBatches = 0;
    const end = performance.now() + options.durationMs;
    while (performance.now() < end) {
      times.expired.push(await kinds.expired());
      times.cached.push(await kinds.cached());
      times.refused.push(await kinds.refused());
      expiredBatches++;
      refusedBatches++;
    }
    const perBatch = ((await exchanges()) - before) / (expiredBatches + refusedBatches);
    const result = compare({
      name: `${BATCH} concurrent calls, expired vs cached token`,
      ours: { label: 'expired (1 exchange + 100 calls)', value: median(times.expired) },
      baseline: { label: 'valid cached token', value: median(times.cached) },
      unit: 'ms',
      goal: 1.5,
      lowerIsBetter: true,
    });
    figure(`${BATCH} concurrent calls refused with 401 TOKEN_EXPIRED (100 refusals + 1 exchange + 100 replays), median`, median(times.refused), 'ms');
    figure('Token exchanges per expired batch (must be 1)', perBatch, '');
    figure('Batches per kind', expiredBatches, '');
    return [result, perBatch === 1];
  } finally {
    await Promise.all([expiring.close(), cached.close(), refused.close()]);
    await server.stop();
  }
}

if (process.env[SERVE_ENV] === 'integration-tokens' && process.argv[1] === fileURLToPath(import.meta.url)) serve();
