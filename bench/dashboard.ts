// Care operations reads at two sizes: `GET /dashboard` and `GET /contacts` (first page, and a
// search by name) with 100,000 contacts vs 1,000, on embedded PGlite. Each size is a reference
// server in its own child process started from this file, with the demo data and the contacts
// written in bulk (sealed rows, one insert per 5,000). One request in flight, so the figures are
// latencies, not a queue; the variants are measured in interleaved rounds.
// Smaller sizes for a smoke run: CAREOS_BENCH_CONTACTS=200,2000.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTACT_SCALE_SEARCH_NAME, startServer } from '@careos/server-reference';
import { Pool } from 'undici';
import { startChild, type ChildServer } from './lib/child.ts';
import { interleaved, type Measurement, type MeasureOptions } from './lib/measure.ts';
import { compare, figure, section } from './lib/report.ts';

const SERVE_ENV = 'CAREOS_BENCH_SERVE';
const COUNT_ENV = 'CAREOS_BENCH_DASHBOARD_CONTACTS';
const INFO_ENV = 'CAREOS_BENCH_DASHBOARD_INFO';
/** Goal: the large size's latency at most 1.3 times the small one's. */
const GOAL = 1.3;

/** Child process: the reference server with the demo data and `COUNT_ENV` generated contacts. */
async function serveContacts(): Promise<void> {
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir: 'memory', logger: false, seed: 'demo' });
  const started = performance.now();
  await server.app.seedContactScale(Number(process.env[COUNT_ENV]));
  const admin = server.demoCredentials!.admin;
  writeFileSync(process.env[INFO_ENV]!, JSON.stringify({ ...admin, seedMs: performance.now() - started }));
  console.log(`LISTENING ${server.url}`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

/** A started child, signed in as the demo admin. */
async function startContactsChild(count: number): Promise<{ child: ChildServer; token: string; seedMs: number }> {
  const infoFile = join(tmpdir(), `careos-bench-dashboard-${process.pid}-${count}.json`);
  const child = await startChild('../dashboard.ts', { [SERVE_ENV]: 'contacts', [COUNT_ENV]: String(count), [INFO_ENV]: infoFile, DATABASE_URL: '', REDIS_URL: '' });
  const info = JSON.parse(readFileSync(infoFile, 'utf8')) as { email: string; password: string; seedMs: number };
  rmSync(infoFile, { force: true });
  const login = await fetch(`${child.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: info.email, password: info.password }) });
  const { access_token: token } = (await login.json()) as { access_token: string };
  return { child, token, seedMs: info.seedMs };
}

function getOp(pool: Pool, path: string, token: string, failures: { count: number }) {
  const headers = { authorization: `Bearer ${token}` };
  return async () => {
    const res = await pool.request({ method: 'GET', path, headers });
    await res.body.dump();
    if (res.statusCode !== 200) failures.count++;
  };
}

/** The sizes to compare: 1,000 and 100,000, or `CAREOS_BENCH_CONTACTS=<small>,<large>`. */
function sizes(): [number, number] {
  const [small, large] = (process.env.CAREOS_BENCH_CONTACTS ?? '1000,100000').split(',').map(Number);
  if (!small || !large) throw new Error('CAREOS_BENCH_CONTACTS must be two counts, e.g. 1000,100000');
  return [small, large];
}

/**
 * (Care operations) p50 latency of `GET /dashboard`, `GET /contacts` (first page of 100) and
 * `GET /contacts?name=…` (10 matches at either size) with the large count of contacts vs the
 * small one; goal: at most 1.3x, the cost must not grow with the data.
 */
export async function benchDashboard(options: MeasureOptions): Promise<boolean[]> {
  section('Reference server: dashboard and contact lists as contacts grow (embedded PGlite)');
  const [small, large] = sizes();
  const n = (count: number) => count.toLocaleString('en-US');
  const children: ChildServer[] = [];
  const pools: Pool[] = [];
  try {
    const a = await startContactsChild(small);
    children.push(a.child);
    const b = await startContactsChild(large);
    children.push(b.child);
    console.log(`Wrote ${n(large)} contacts in ${(b.seedMs / 1000).toFixed(1)} s (bulk insert of sealed rows)`);
    const failures = { count: 0 };
    const pool = (url: string) => {
      const p = new Pool(url, { connections: 1 });
      pools.push(p);
      return p;
    };
    const [poolA, poolB] = [pool(a.child.url), pool(b.child.url)];
    const reads = { dashboard: '/dashboard', list: '/contacts', search: `/contacts?name=${CONTACT_SCALE_SEARCH_NAME}` };
    const variants: Record<string, () => Promise<void>> = {};
    for (const [name, path] of Object.entries(reads)) {
      variants[`${name}-small`] = getOp(poolA, path, a.token, failures);
      variants[`${name}-large`] = getOp(poolB, path, b.token, failures);
    }
    const results: Record<string, Measurement> = await interleaved(variants, { ...options, concurrency: 1, rounds: options.durationMs < 5_000 ? 3 : 5 });
    if (failures.count > 0) throw new Error(`${failures.count} requests failed during the benchmark`);

    const goals: boolean[] = [];
    for (const [name, path] of Object.entries(reads)) {
      const [s, l] = [results[`${name}-small`]!, results[`${name}-large`]!];
      figure(`GET ${path}, ${n(small)} contacts, 1 in flight (p99 ${s.p99Ms.toFixed(2)} ms)`, s.p50Ms, 'ms p50');
      figure(`GET ${path}, ${n(large)} contacts, 1 in flight (p99 ${l.p99Ms.toFixed(2)} ms)`, l.p50Ms, 'ms p50');
      goals.push(
        compare({
          name: `GET ${path} latency at ${n(large)} contacts vs ${n(small)}`,
          ours: { label: `${n(large)} contacts`, value: l.p50Ms },
          baseline: { label: `${n(small)} contacts`, value: s.p50Ms },
          unit: 'ms p50',
          goal: GOAL,
          lowerIsBetter: true,
        }),
      );
    }
    return goals;
  } finally {
    await Promise.all(pools.map((p) => p.close()));
    await Promise.all(children.map((c) => c.stop()));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.env[SERVE_ENV] === 'contacts') await serveContacts();
