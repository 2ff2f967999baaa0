// Cached screen-pop lookups. The lookup client is warmed from a minimal local server (started in
// this process: once the cache is warm no request goes out, so nothing shares the event loop
// while timing), then its hit path is timed against the least a cache can do: `get` on a bare
// lru-cache with the same size and TTL, holding the same answers under the same E.164 keys.
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SEED_LOOKUP_FOUND } from '@careos/contract';
import { LookupClient } from '@careos/sdk';
import type { MeasureOptions } from './lib/measure.ts';
import { compare, figure, section } from './lib/report.ts';

/** The part of lru-cache the baseline uses. */
interface BareCache {
  get(key: string): object | undefined;
  set(key: string, value: object): unknown;
}

/**
 * lru-cache as the SDK loads it: the SDK's own dependency (the workspace root has none), and its
 * ESM build, so the baseline runs the very module the SDK's cache runs on.
 */
async function loadLruCache(): Promise<new (options: { max: number; ttl: number }) => BareCache> {
  const fromSdk = createRequire(new URL('../packages/sdk-node/package.json', import.meta.url));
  const esm = fromSdk.resolve('lru-cache').replace(`${sep}commonjs${sep}`, `${sep}esm${sep}`);
  return ((await import(pathToFileURL(esm).href)) as { LRUCache: new (options: { max: number; ttl: number }) => BareCache }).LRUCache;
}

const KEYS = 1_000;
/** Operations between two clock reads: reading the clock per operation would cost as much as a hit. */
const BATCH = 1_000;

/** A minimal lookup API: every number has case 9. */
async function lookupServer(): Promise<{ url: string; server: Server; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests++;
      const { phone } = JSON.parse(Buffer.concat(chunks).toString()) as { phone: string };
      const body = JSON.stringify({ ...SEED_LOOKUP_FOUND, phone_searched: phone });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, requests: () => requests };
}

/** Runs `window` repeatedly for `ms` and returns operations per second; `window` does BATCH operations. */
async function rate(window: (round: number) => unknown, ms: number): Promise<number> {
  let ops = 0;
  const started = performance.now();
  const end = started + ms;
  for (let round = 0; performance.now() < end; round++) {
    await window(round);
    ops += BATCH;
  }
  return (ops / (performance.now() - started)) * 1000;
}

/**
 * (lookup client) Cached `byPhone` hits per second against a bare lru-cache `get`, both over 1,000
 * pre-warmed E.164 numbers visited in turn. `byPhone` is awaited one call at a time, as a call
 * flow does; the bare `get` is synchronous. Printed beside them: the floor of any Promise API on
 * lru-cache (the same `get` plus one `await` of a settled promise), and the synchronous `peek()`.
 * Windows are interleaved (A B C D A B C D …) and each variant's median window is kept, so that
 * GC and neighbour noise land on all alike.
 */
export async function benchLookupCache(options: MeasureOptions): Promise<boolean[]> {
  section(`Lookup client: cached byPhone hits vs a bare lru-cache get (${KEYS.toLocaleString('en-US')} E.164 numbers)`);
  const keys = Array.from({ length: KEYS }, (_, i) => `+3906${String(10_000_000 + i)}`);
  const api = await lookupServer();
  const lookup = new LookupClient({ apiKey: 'lookup_test_bench', baseURL: api.url, env: {} });
  const LRUCache = await loadLruCache();
  const bare = new LRUCache({ max: 10_000, ttl: 300_000 });
  try {
    for (let i = 0; i < KEYS; i += 100) await Promise.all(keys.slice(i, i + 100).map((key) => lookup.byPhone(key)));
    for (const key of keys) {
      const answer = lookup.peek(key);
      if (answer === undefined || !answer.found) throw new Error(`warm-up left ${key} uncached`);
      bare.set(key, answer);
    }
    const warmRequests = api.requests();

    let sink = 0; // consumes every answer so that no variant's work can be optimised away
    const settled = Promise.resolve(true);
    const variants = {
      ours: async () => {
        for (let i = 0; i < BATCH; i++) {
          const answer = await lookup.byPhone(keys[i % KEYS] as string);
          if (answer.found) sink++;
        }
      },
      bare: () => {
        for (let i = 0; i < BATCH; i++) {
          const answer = bare.get(keys[i % KEYS] as string);
          if (answer !== undefined) sink++;
        }
      },
      // The least any Promise API over lru-cache can cost per hit: the same get, and one await of a settled promise.
      floor: async () => {
        for (let i = 0; i < BATCH; i++) {
          if (bare.get(keys[i % KEYS] as string) !== undefined && (await settled)) sink++;
        }
      },
      peek: () => {
        for (let i = 0; i < BATCH; i++) {
          if (lookup.peek(keys[i % KEYS] as string)?.found) sink++;
        }
      },
    };
    const names = Object.keys(variants) as (keyof typeof variants)[];
    const windowMs = Math.max(200, Math.round(options.durationMs / 5));
    for (const name of names) await rate(variants[name], options.warmupMs ?? 500);
    const figures = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<keyof typeof variants, number[]>;
    for (let round = 0; round < 7; round++) {
      for (const name of names) figures[name].push(await rate(variants[name], windowMs));
    }
    if (sink === 0) throw new Error('unreachable: answers were consumed');
    const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
    const stats = lookup.stats();

    const unit = 'lookups/s';
    const bareRate = median(figures.bare);
    const result = compare({
      name: 'cached byPhone vs bare lru-cache get',
      ours: { label: 'await byPhone (hit)', value: median(figures.ours) },
      baseline: { label: 'LRUCache.get', value: bareRate },
      unit,
      goal: 0.5,
    });
    figure(`Floor of a Promise API: LRUCache.get + await of a settled promise (${(median(figures.floor) / bareRate).toFixed(2)}x bare get)`, median(figures.floor), unit);
    figure(`peek() (synchronous, no recency update; ${(median(figures.peek) / bareRate).toFixed(2)}x bare get)`, median(figures.peek), unit);
    figure('Requests sent while timing (must be 0)', api.requests() - warmRequests, '');
    figure('Cache misses (must be 1,000: the warm-up)', stats.misses, '');
    return [result, api.requests() === warmRequests && stats.misses === KEYS];
  } finally {
    await lookup.close();
    await new Promise((resolve) => api.server.close(resolve));
  }
}
