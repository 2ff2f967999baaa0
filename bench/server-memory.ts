import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicKey } from 'node:crypto';
import { careosEnvVars, generatePartnerKeys } from '@careos/cli';
import { masterKeyFileFor } from '@careos/server-reference';
import { Pool } from 'undici';
import { startChild } from './lib/child.ts';
import { encryptedLead } from './lib/leads.ts';
import { measure, type MeasureOptions } from './lib/measure.ts';
import { compare, figure, section } from './lib/report.ts';

const ROUNDS = 5;
const MIB = 1024 * 1024;

/** Resident memory of a process, bytes, from `/proc/<pid>/status`; `null` without `/proc`. */
function rssOf(pid: number): number | null {
  try {
    const kib = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib === undefined ? null : Number(kib) * 1024;
  } catch {
    return null;
  }
}

/** Resident memory once it has stopped moving (start-up work, then a collection or two, settle). */
async function settledRss(pid: number): Promise<number> {
  let last = rssOf(pid)!;
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const now = rssOf(pid)!;
    if (Math.abs(now - last) < MIB) return now;
    last = now;
  }
  return last;
}

/**
 * (hot-paths issue, 5) Memory of the reference server on embedded PGlite against a bare PGlite
 * process (PGlite in a worker thread, as the server runs it, one query run), both on a data directory: idle, then after
 * each of five rounds of mixed load (lead ingestion, reading leads back, the health check).
 * Goals: after the load at most 1.4x the bare PGlite, and no growth from round to round (the
 * last round at most 1.05x the first).
 */
export async function benchServerMemory(options: MeasureOptions): Promise<boolean[]> {
  section('Reference server: memory on embedded PGlite');
  // On disk, as a server keeps its data: in memory the database itself would be the growth measured.
  const dirs = [mkdtempSync(join(tmpdir(), 'careos-bench-bare-')), mkdtempSync(join(tmpdir(), 'careos-bench-server-'))];
  // With the development master key the server writes beside its data directory.
  const removeDirs = () => {
    for (const dir of dirs) {
      rmSync(dir, { recursive: true, force: true });
      rmSync(masterKeyFileFor(dir), { force: true });
    }
  };
  const bare = await startChild('bare-pglite.ts', { CAREOS_BENCH_DATA_DIR: dirs[0]! });
  const bareRss = rssOf(bare.pid);
  if (bareRss === null) {
    await bare.stop();
    removeDirs();
    console.log('Memory: not measured (no /proc on this system)');
    return [];
  }
  const floor = await settledRss(bare.pid);
  await bare.stop();

  const keys = await generatePartnerKeys('businessos', 'test');
  const server = await startChild('reference.ts', { ...careosEnvVars(keys), CAREOS_RATE_LIMIT_LEADS: '100000000', DATABASE_URL: '', REDIS_URL: '', CAREOS_BENCH_DATA_DIR: dirs[1]! });
  const publicKey = createPublicKey(keys.publicKeyPem);
  const pool = new Pool(server.url, { connections: options.concurrency });
  const headers = { 'content-type': 'application/json', 'x-api-key': keys.apiKey, 'x-platform': 'businessos', 'x-careos-key-id': keys.keyId };
  const leadIds: string[] = [];
  let sent = 0;
  let failures = 0;
  const mixed = async (i: number) => {
    const kind = i % 4;
    let res;
    if (kind < 2 || leadIds.length === 0) {
      const body = JSON.stringify(encryptedLead(sent++, 'businessos', publicKey, keys.phoneHashSalt));
      res = await pool.request({ method: 'POST', path: '/api/leads/ingest', headers, body });
      const answer = (await res.body.json()) as { careos_lead_id?: string };
      if (answer.careos_lead_id) leadIds.push(answer.careos_lead_id);
    } else if (kind === 2) {
      res = await pool.request({ method: 'GET', path: `/api/leads/${leadIds[i % leadIds.length]}`, headers });
      await res.body.dump();
    } else {
      res = await pool.request({ method: 'GET', path: '/health' });
      await res.body.dump();
    }
    if (res.statusCode >= 300) failures++;
  };
  try {
    const idle = await settledRss(server.pid);
    figure('Bare PGlite (worker thread, data directory, one query)', floor / MIB, 'MiB');
    figure('Reference server, idle', idle / MIB, 'MiB');
    const after: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      await measure(mixed, { concurrency: options.concurrency, durationMs: options.durationMs });
      if (failures > 0) throw new Error(`${failures} requests failed during the memory rounds`);
      after.push(await settledRss(server.pid));
      figure(`Reference server after load round ${round} (${sent.toLocaleString('en-US')} leads so far)`, after.at(-1)! / MIB, 'MiB');
    }
    const unit = 'MiB';
    return [
      compare({ name: 'Server memory after load vs bare PGlite', ours: { label: `after ${ROUNDS} rounds`, value: after.at(-1)! / MIB }, baseline: { label: 'bare PGlite', value: floor / MIB }, unit, goal: 1.4, lowerIsBetter: true }),
      compare({ name: 'Server memory growth across rounds', ours: { label: `after round ${ROUNDS}`, value: after.at(-1)! / MIB }, baseline: { label: 'after round 1', value: after[0]! / MIB }, unit, goal: 1.05, lowerIsBetter: true }),
    ];
  } finally {
    await pool.close();
    await server.stop();
    removeDirs();
  }
}
