import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { CareOS } from '@careos/sdk';
import { Pool } from 'undici';
import { startChild } from './lib/child.ts';
import { encryptedLead } from './lib/leads.ts';
import { interleaved, measure, type MeasureOptions } from './lib/measure.ts';
import { compare, figure, section } from './lib/report.ts';

/**
 * (issue 2, 5a) `leads.ingest` round trips through the SDK vs the same request through raw
 * undici `Pool.request` vs global `fetch`, all against one minimal server in another process.
 * The lead is encrypted once beforehand so all three send identical bytes; each client
 * serialises the lead object per call, as hand-written code would. The cost of encrypting per
 * call is printed separately.
 */
export async function benchSdkTransport(options: MeasureOptions): Promise<boolean[]> {
  section('SDK transport: leads.ingest round trips');
  const server = await startChild('minimal.ts');
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const salt = 'bench-salt';
  const lead = encryptedLead(1, 'businessos', publicKey, salt);
  const path = '/api/leads/ingest';
  const headers = { 'content-type': 'application/json', 'x-api-key': 'businessos_live_bench', 'x-platform': 'businessos' };

  const sdk = new CareOS({ baseURL: server.url, apiKey: 'businessos_live_bench', platform: 'businessos', publicKey, phoneHashSalt: salt, maxRetries: 0 });
  const pool = new Pool(server.url);
  try {
    const rounds = await interleaved(
      {
        sdk: () => sdk.leads.ingest(lead),
        undici: async () => {
          const res = await pool.request({ method: 'POST', path, headers: { ...headers, 'idempotency-key': randomUUID() }, body: JSON.stringify(lead) });
          return res.body.json();
        },
        fetch: async () => {
          const res = await fetch(server.url + path, { method: 'POST', headers: { ...headers, 'idempotency-key': randomUUID() }, body: JSON.stringify(lead) });
          return res.json();
        },
      },
      { ...options, rounds: 7, durationMs: Math.max(500, Math.round(options.durationMs / 3)) },
    );
    const viaSdk = rounds.sdk;
    const viaUndici = rounds.undici;
    const viaFetch = rounds.fetch;
    const withEncryption = await measure(
      (i) =>
        sdk.leads.ingest({
          source_conversation_id: `enc-${i}`,
          phone: `+1415555${String(i % 10_000).padStart(4, '0')}`,
          user_language: 'en',
          category: 'healthcare',
          original_message: 'I need a caregiver for my mom',
          ai_extracted_details: {},
          user_consent: true,
          consent_timestamp: '2025-01-08T12:00:00Z',
          lead_value_agreed: 15,
        }),
      options,
    );
    const results = [
      compare({ name: 'SDK vs raw undici', ours: { label: 'SDK', value: viaSdk.opsPerSecond }, baseline: { label: 'undici Pool.request', value: viaUndici.opsPerSecond }, unit: 'req/s', goal: 0.85 }),
      compare({ name: 'SDK vs fetch', ours: { label: 'SDK', value: viaSdk.opsPerSecond }, baseline: { label: 'global fetch', value: viaFetch.opsPerSecond }, unit: 'req/s', goal: 2 }),
    ];
    figure('SDK with a plain phone (normalise + encrypt + hash per call)', withEncryption.opsPerSecond, 'req/s');
    return results;
  } finally {
    await sdk.close();
    await pool.close();
    await server.stop();
  }
}
