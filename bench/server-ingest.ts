import { constants, createPrivateKey, createPublicKey, privateDecrypt } from 'node:crypto';
import { unescapePem } from '@careos/contract';
import { careosEnvVars, generatePartnerKeys } from '@careos/cli';
import { Pool } from 'undici';
import { startChild } from './lib/child.ts';
import { encryptedLead } from './lib/leads.ts';
import { measure, measureSync, type MeasureOptions } from './lib/measure.ts';
import { compare, figure, section } from './lib/report.ts';

/**
 * (issue 2, 5b) Server ingest throughput on the embedded database vs a loop of RSA-OAEP
 * decryptions alone, the work no ingest can skip (one core's physical limit).
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
  const count = Math.ceil((levels.length * perLevelMs) / 1000) * 3_000;
  const bodies = Array.from({ length: count }, (_, i) => JSON.stringify(encryptedLead(i, 'businessos', publicKey, keys.phoneHashSalt)));
  const pool = new Pool(server.url, { connections: Math.max(...levels) });
  const headers = { 'content-type': 'application/json', 'x-api-key': keys.apiKey, 'x-platform': 'businessos', 'x-careos-key-id': keys.keyId };
  let next = 0;
  let failures = 0;
  try {
    let best = { concurrency: 0, opsPerSecond: 0 };
    for (const concurrency of levels) {
      const step = await measure(async () => {
        const body = bodies[next++];
        if (body === undefined) throw new Error('ran out of pre-encrypted leads; raise the count');
        const res = await pool.request({ method: 'POST', path: '/api/leads/ingest', headers, body });
        await res.body.dump();
        if (res.statusCode !== 200) failures++;
      }, { ...options, concurrency });
      if (failures > 0) throw new Error(`${failures} ingest requests failed during the benchmark`);
      figure(`Ingest at ${concurrency} in flight (p50 ${step.p50Ms.toFixed(1)} ms, p99 ${step.p99Ms.toFixed(1)} ms)`, step.opsPerSecond, 'leads/s');
      if (step.opsPerSecond > best.opsPerSecond) best = { concurrency, opsPerSecond: step.opsPerSecond };
    }

    const sample = Buffer.from(JSON.parse(bodies[0]!).user_phone_encrypted, 'base64');
    const decryptsPerSecond = measureSync(
      () => privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, sample),
      options.durationMs,
    );
    const met = compare({
      name: 'Ingest throughput vs bare RSA-OAEP decrypt',
      ours: { label: `server ingest (peak, ${best.concurrency} in flight)`, value: best.opsPerSecond },
      baseline: { label: 'decrypt loop on one core', value: decryptsPerSecond },
      unit: 'ops/s',
      goal: 0.5,
    });
    return [met];
  } finally {
    await pool.close();
    await server.stop();
  }
}
