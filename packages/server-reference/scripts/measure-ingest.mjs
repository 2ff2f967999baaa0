#!/usr/bin/env node
// Ingest throughput of the built server on in-memory PGlite, beside a bare RSA-OAEP decrypt
// loop on one core (the one step no ingest can skip). The server runs in a child process so
// it never shares an event loop with the load generator.
//
//   pnpm --filter @careos/server-reference build && node scripts/measure-ingest.mjs [seconds] [concurrency]
import { spawn } from 'node:child_process';
import { constants, createPrivateKey, generateKeyPairSync, privateDecrypt, publicEncrypt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hashPhone } from '@careos/contract';
import { Pool } from 'undici';

const seconds = Number(process.argv[2] ?? 5);
const concurrency = Number(process.argv[3] ?? 16);
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const apiKey = `businessos_test_${'Q'.repeat(32)}`;
const salt = 'measure-salt-0123456789';
const env = {
  ...process.env,
  CAREOS_PARTNERS: 'businessos',
  BUSINESSOS_API_KEY: apiKey,
  PHONE_HASH_SALT: salt,
  CAREOS_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  CAREOS_RATE_LIMIT_LEADS: '100000000',
  DATABASE_URL: '',
  REDIS_URL: '',
};
const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const child = spawn(
  process.execPath,
  ['--input-type=module', '-e', `const { startServer } = await import(${JSON.stringify(entry)}); const s = await startServer({ port: 0, dataDir: 'memory', logger: false }); console.log('LISTENING ' + s.url); process.on('SIGTERM', () => s.close().then(() => process.exit(0)));`],
  { env, stdio: ['ignore', 'pipe', 'inherit'] },
);
// Never leave the server behind, whatever happens to this process.
process.on('exit', () => child.kill('SIGKILL'));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
const url = await new Promise((resolve, reject) => {
  let out = '';
  child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  child.stdout.on('data', (chunk) => {
    out += chunk;
    const match = /LISTENING (\S+)/.exec(out);
    if (match) resolve(match[1]);
  });
});

// Distinct pre-encrypted leads, so the client spends no time on RSA during the window.
const total = Math.ceil((seconds + 2) * 4000);
const bodies = Array.from({ length: total }, (_, i) => {
  const phone = `+1415${String(5_000_000 + i).padStart(7, '0')}`;
  return JSON.stringify({
    source_platform: 'businessos',
    source_conversation_id: `measure-${process.pid}-${i}`,
    user_phone_hash: hashPhone(phone, salt),
    user_phone_encrypted: publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(phone)).toString('base64'),
    user_name: 'Bench User',
    user_language: 'en',
    user_location_country: 'US',
    category: 'healthcare',
    subcategory: 'caregiver_hiring',
    original_message: 'I need a caregiver for my mom',
    ai_extracted_details: { urgency: 'medium', person_mentioned: 'mom', service_type: 'caregiver' },
    user_consent: true,
    consent_timestamp: '2025-01-08T12:00:00Z',
    lead_value_agreed: 15,
  });
});
const pool = new Pool(url, { connections: concurrency });
const headers = { 'content-type': 'application/json', 'x-api-key': apiKey, 'x-platform': 'businessos' };
let next = 0;
let failures = 0;
async function window(ms) {
  const end = performance.now() + ms;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const res = await pool.request({ method: 'POST', path: '/api/leads/ingest', headers, body: bodies[next++ % bodies.length] });
        await res.body.dump();
        if (res.statusCode !== 200) failures++;
        done++;
      }
    }),
  );
  return done;
}
const cpuOf = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks (10 ms) → ms
};

await window(1500);
const hasProc = (() => { try { cpuOf(child.pid); return true; } catch { return false; } })();
const cpu0 = hasProc ? cpuOf(child.pid) : 0;
const started = performance.now();
const ingested = await window(seconds * 1000);
const elapsed = performance.now() - started;
const cpuMs = hasProc ? cpuOf(child.pid) - cpu0 : NaN;
await pool.close();
child.kill('SIGTERM');

const sample = Buffer.from(JSON.parse(bodies[0]).user_phone_encrypted, 'base64');
const key = createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' }));
let decrypts = 0;
const loopStart = performance.now();
while (performance.now() - loopStart < 3000) {
  privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, sample);
  decrypts++;
}
const decryptRate = (decrypts / (performance.now() - loopStart)) * 1000;
const ingestRate = (ingested / elapsed) * 1000;
console.log(`ingest on in-memory PGlite: ${ingestRate.toFixed(0)} leads/s (${concurrency} in flight, ${failures} failures)`);
if (hasProc) console.log(`server CPU: ${((cpuMs * 1000) / ingested).toFixed(0)} µs per lead (${((cpuMs / elapsed) * 100).toFixed(0)}% of one core)`);
console.log(`bare RSA-OAEP decrypt loop: ${decryptRate.toFixed(0)}/s`);
console.log(`ratio: ${(ingestRate / decryptRate).toFixed(2)} (goal 0.5)`);
