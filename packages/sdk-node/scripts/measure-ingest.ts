/**
 * Quick local measurement of `leads.ingest()` round trips per second (pre-encrypted body)
 * through the SDK, raw undici `Pool.request` and global `fetch`, against a minimal HTTP
 * server in a child process. Not a test: run it by hand with
 * `pnpm --filter @careos/sdk exec tsx scripts/measure-ingest.ts [rounds] [concurrency]`.
 */
import { spawn } from 'node:child_process';
import { Pool } from 'undici';
import { CareOS } from '../src/index.js';

const seconds = Number(process.argv[2] ?? 9);
const concurrency = Number(process.argv[3] ?? 16);

const lead = {
  source_platform: 'businessos',
  source_conversation_id: 'bizos-lead-12345',
  user_phone_hash: 'a'.repeat(64),
  user_phone_encrypted: Buffer.alloc(256, 7).toString('base64'),
  user_name: 'John Doe',
  user_language: 'en',
  user_location_state: 'CA',
  user_location_country: 'US',
  user_location_city: 'San Francisco',
  category: 'healthcare',
  subcategory: 'caregiver_hiring',
  original_message: 'I need help finding a caregiver for my mom who has mobility issues',
  ai_extracted_details: { urgency: 'medium', person_mentioned: 'mom', service_type: 'caregiver', condition_mentioned: 'mobility issues' },
  user_consent: true as const,
  consent_timestamp: '2025-01-08T12:00:00Z',
  lead_value_agreed: 15,
};
const headers = { 'content-type': 'application/json', 'x-api-key': 'businessos_live_bench12345', 'x-platform': 'businessos' };

const SERVER = `
const http = require('node:http');
const body = JSON.stringify({ success: true, careos_lead_id: 'lead_1', careos_user_id: 'user_1', careos_will_contact: true, is_new_user: false });
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': 'req_1' });
    res.end(body);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
`;

/** Requests per second of `once` run by `concurrency` loops for `ms`. */
async function rate(once: () => Promise<unknown>, ms: number, cpu?: number[]): Promise<number> {
  let count = 0;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const until = started + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await once();
        count++;
      }
    }),
  );
  const used = process.cpuUsage(cpuStart);
  cpu?.push((used.user + used.system) / count);
  return count / ((performance.now() - started) / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/**
 * Runs the contenders in interleaved one-second rounds and reports medians, so that noise from
 * other processes on the machine hits all of them alike.
 */
async function compare(contenders: Record<string, () => Promise<unknown>>): Promise<Record<string, number>> {
  for (const once of Object.values(contenders)) await rate(once, 500); // warm-up: sockets, JIT
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  for (let round = 0; round < seconds; round++) {
    for (const [name, once] of Object.entries(contenders)) samples[name]?.push(await rate(once, 1000, cpu[name]));
  }
  const result = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
  for (const [name, value] of Object.entries(result)) {
    const perRequest = median(cpu[name] ?? []).toFixed(1);
    console.log(`${name.padEnd(7)} ${Math.round(value).toString().padStart(7)} req/s, client CPU ${perRequest} µs/req (medians of ${seconds} rounds)`);
  }
  return result;
}

// MEASURE_SERVER_CPU=1 pins the server to that CPU (run the script under `taskset -c 0`) to cut scheduling noise.
const pin = process.env.MEASURE_SERVER_CPU;
const child = pin
  ? spawn('taskset', ['-c', pin, process.execPath, '-e', SERVER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  : spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve(Number(m))));
const origin = `http://127.0.0.1:${port}`;

const client = new CareOS({ baseURL: origin, apiKey: headers['x-api-key'], platform: headers['x-platform'], env: {} });
const unchecked = new CareOS({ baseURL: origin, apiKey: headers['x-api-key'], platform: headers['x-platform'], env: {}, validateRequestBodies: false });
const pool = new Pool(origin);

try {
  const result = await compare({
    sdk: () => client.leads.ingest(lead),
    'sdk-nv': () => unchecked.leads.ingest(lead),
    undici: async () => {
      const res = await pool.request({ path: '/api/leads/ingest', method: 'POST', headers, body: JSON.stringify(lead) });
      return res.body.json();
    },
    fetch: async () => {
      const res = await fetch(`${origin}/api/leads/ingest`, { method: 'POST', headers, body: JSON.stringify(lead) });
      return res.json();
    },
  });
  const { sdk = 0, 'sdk-nv': unvalidated = 0, undici = 1, fetch: fetched = 1 } = result;
  console.log(`sdk / undici = ${(sdk / undici).toFixed(2)}x (goal >= 0.85x); sdk / fetch = ${(sdk / fetched).toFixed(2)}x (goal >= 2x)`);
  console.log(`with validateRequestBodies: false: sdk / undici = ${(unvalidated / undici).toFixed(2)}x; sdk / fetch = ${(unvalidated / fetched).toFixed(2)}x`);
} finally {
  await client.close();
  await unchecked.close();
  await pool.close();
  child.kill();
}
