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

  // Enough distinct pre-encrypted leads for warm-up + window at well above the expected rate.
  const count = Math.ceil(((options.durationMs + (options.warmupMs ?? 0)) / 1000) * 3000);
  const bodies = Array.from({ length: count }, (_, i) => JSON.stringify(encryptedLead(i, 'businessos', publicKey, keys.phoneHashSalt)));
  const pool = new Pool(server.url, { connections: options.concurrency });
  const headers = { 'content-type': 'application/json', 'x-api-key': keys.apiKey, 'x-platform': 'businessos', 'x-careos-key-id': keys.keyId };
  let failures = 0;
  try {
    const ingest = await measure(async (i) => {
      const res = await pool.request({ method: 'POST', path: '/api/leads/ingest', headers, body: bodies[i % bodies.length] });
      await res.body.dump();
      if (res.statusCode !== 200) failures++;
    }, options);
    if (failures > 0) throw new Error(`${failures} ingest requests failed during the benchmark`);

    const sample = Buffer.from(JSON.parse(bodies[0]!).user_phone_encrypted, 'base64');
    const decryptsPerSecond = measureSync(
      () => privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, sample),
      options.durationMs,
    );
    const met = compare({
      name: 'Ingest vs bare RSA-OAEP decrypt',
      ours: { label: 'server ingest', value: ingest.opsPerSecond },
      baseline: { label: 'decrypt loop', value: decryptsPerSecond },
      unit: 'ops/s',
      goal: 0.5,
    });
    figure(`Ingest latency at ${options.concurrency} concurrent (p50 / p99)`, ingest.p50Ms, `ms / ${ingest.p99Ms.toFixed(2)} ms`);
    return [met];
  } finally {
    await pool.close();
    await server.stop();
  }
}
