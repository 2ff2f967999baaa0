import { constants, createPrivateKey, createPublicKey, privateDecrypt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { unescapePem } from '@careos/contract';
import { careosEnvVars, generatePartnerKeys } from '@careos/cli';
import { Pool } from 'undici';
import { startChild } from './lib/child.ts';
import { encryptedLead } from './lib/leads.ts';
import { measure, measureSync, type MeasureOptions } from './lib/measure.ts';
import { compare, figure, section } from './lib/report.ts';
import { cpuCeiling, cpuParts, cpuPerOp, serverCpu, type OpCpu } from './lib/thread-cpu.ts';

/** The stretch goal: ingest over the one-core decrypt loop with the decryption spread over the cores. */
const STRETCH_GOAL = 1.5;
/** Leads sent at 64 in flight while the server's CPU time is counted per thread. */
const CPU_SAMPLE_LEADS = 4_000;

/**
 * (issue 2, 5b) Server ingest throughput on the embedded database vs a loop of RSA-OAEP
 * decryptions alone on one core, the work no ingest can skip. The goals: at least 0.9x that
 * loop, and 1.5x as a stretch (decryption spread over the cores). Then the CPU time per lead of
 * every server thread, and the ceiling those costs leave on this machine's cores: where the
 * stretch goal is out of physical reach, that figure says so.
 */
export async function benchServerIngest(options: MeasureOptions): Promise<boolean[]> {
  section('Reference server: lead ingestion on embedded PGlite');
  const keys = await generatePartnerKeys('businessos', 'test');
  const server = await startChild('reference.ts', {
    ...careosEnvVars(keys),
    CAREOS_RATE_LIMIT_LEADS: '100000000',
    DATABASE_URL: '',
    REDIS_URL: '',
  });
  const publicKey = createPublicKey(keys.publicKeyPem);
  const privateKey = createPrivateKey(unescapePem(keys.privateKeyPem));

  // Throughput is the rate at saturation, so the load steps up until the server is saturated;
  // every step is printed with its latency, and the best step is compared with the baseline.
  const levels = [16, 64, 256];
  const perLevelMs = options.durationMs + (options.warmupMs ?? 0);
  const count = Math.ceil((levels.length * perLevelMs) / 1000) * 3_000 + CPU_SAMPLE_LEADS;
  const bodies = Array.from({ length: count }, (_, i) => JSON.stringify(encryptedLead(i, 'businessos', publicKey, keys.phoneHashSalt)));
  const pool = new Pool(server.url, { connections: Math.max(...levels) });
  const headers = { 'content-type': 'application/json', 'x-api-key': keys.apiKey, 'x-platform': 'businessos', 'x-careos-key-id': keys.keyId };
  let next = 0;
  let failures = 0;
  const ingestOne = async () => {
    const body = bodies[next++];
    if (body === undefined) throw new Error('ran out of pre-encrypted leads; raise the count');
    const res = await pool.request({ method: 'POST', path: '/api/leads/ingest', headers, body });
    await res.body.dump();
    if (res.statusCode !== 200) failures++;
  };
  try {
    let best = { concurrency: 0, opsPerSecond: 0 };
    for (const concurrency of levels) {
      const step = await measure(ingestOne, { ...options, concurrency });
      if (failures > 0) throw new Error(`${failures} ingest requests failed during the benchmark`);
      figure(`Ingest at ${concurrency} in flight (p50 ${step.p50Ms.toFixed(1)} ms, p99 ${step.p99Ms.toFixed(1)} ms)`, step.opsPerSecond, 'leads/s');
      if (step.opsPerSecond > best.opsPerSecond) best = { concurrency, opsPerSecond: step.opsPerSecond };
    }
    const cpu = await cpuPerOp(server.pid, ingestOne, CPU_SAMPLE_LEADS, 64);
    if (!cpu) console.log('CPU per lead: not measured (no /proc on this system)');
    if (failures > 0) throw new Error(`${failures} ingest requests failed during the benchmark`);

    const sample = Buffer.from(JSON.parse(bodies[0]!).user_phone_encrypted, 'base64');
    let decrypts = 0;
    const loopCpu = process.threadCpuUsage();
    const decryptsPerSecond = measureSync(() => {
      decrypts++;
      privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, sample);
    }, options.durationMs);
    const loopSpent = process.threadCpuUsage(loopCpu);
    const decryptCpu = (loopSpent.user + loopSpent.system) / decrypts;
    const ours = { label: `server ingest (peak, ${best.concurrency} in flight)`, value: best.opsPerSecond };
    const baseline = { label: 'decrypt loop on one core', value: decryptsPerSecond };
    const results = [
      compare({ name: 'Ingest throughput vs bare RSA-OAEP decrypt', ours, baseline, unit: 'ops/s', goal: 0.9 }),
      compare({ name: 'Ingest throughput vs bare RSA-OAEP decrypt (stretch: both cores)', ours, baseline, unit: 'ops/s', goal: STRETCH_GOAL }),
    ];
    if (cpu) printCeiling(cpu, decryptCpu);
    return results;
  } finally {
    await pool.close();
    await server.stop();
  }
}

/**
 * Prints the CPU per lead and the most the goals' ratio can be on this machine's cores (see
 * {@link cpuCeiling}), over the one-core loop's rate, 1 / (CPU per decrypt). The bench's load
 * generator runs on the same cores, so the ceiling is printed with it and without it (a server
 * alone on its machine).
 */
function printCeiling(cpu: OpCpu, decryptCpu: number): void {
  const cores = availableParallelism();
  figure(`CPU per lead at 64 in flight, server threads (${cpuParts(cpu)} µs)`, serverCpu(cpu), 'µs');
  figure('CPU per lead at 64 in flight, the bench load generator', cpu.client, 'µs');
  figure('CPU per decrypt in the one-core loop', decryptCpu, 'µs');
  const ceiling = (withClient: boolean) => (cpuCeiling(cpu, withClient) * decryptCpu) / 1e6;
  console.log(
    `Ceiling of ingest vs the one-core decrypt loop on ${cores} cores at that CPU per lead: ${ceiling(true).toFixed(2)}x with the load generator,` +
      ` ${ceiling(false).toFixed(2)}x for a server alone; no ingest here beats it without spending less CPU per lead.`,
  );
  // The floor: a server whose only work was the decrypt, beside the load generator's CPU per
  // request. No server, however lean, gets past it on these cores while the bench shares them.
  const floor = (cores * decryptCpu) / (decryptCpu + cpu.client);
  console.log(
    `Floor: a server that only decrypted would reach ${floor.toFixed(2)}x here with the load generator on the same cores` +
      `${floor < STRETCH_GOAL ? `, so the ${STRETCH_GOAL}x stretch goal is out of reach on this machine whatever the server does` : ''}.`,
  );
}
