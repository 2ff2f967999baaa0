import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';
import { sign, verify } from '@careos/webhook-verifier';
import { verifyAsync } from '@careos/webhook-verifier/web';
import { Webhook } from 'standardwebhooks';
import { measure, measureSync, type MeasureOptions } from './lib/measure.ts';
import { compare, section } from './lib/report.ts';

/** A CareOS-like event body of exactly `size` bytes. */
function eventBody(size: number): Buffer {
  const head = JSON.stringify({ type: 'alert.created', timestamp: new Date().toISOString(), alert_id: 'al_123', note: '' });
  return Buffer.from(head.replace('"note":""', `"note":"${'x'.repeat(size - head.length)}"`));
}

function median(list: number[]): number {
  return [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
}

/**
 * Synchronous variants measured in interleaved windows (A B C A B C …), each variant's median
 * window kept: neighbour noise and GC then land on every variant alike, so the ratios hold.
 */
function interleavedSync<K extends string>(variants: Record<K, () => unknown>, windowMs: number, rounds: number): Record<K, number> {
  const names = Object.keys(variants) as K[];
  const figures = new Map<K, number[]>(names.map((name) => [name, []]));
  for (const name of names) measureSync(variants[name], windowMs, 0); // warm-up: JIT and key caches
  for (let round = 0; round < rounds; round++) {
    for (const name of names) figures.get(name)!.push(measureSync(variants[name], windowMs, 0));
  }
  return Object.fromEntries(names.map((name) => [name, median(figures.get(name)!)])) as Record<K, number>;
}

/** Asynchronous variants, one call at a time, in interleaved windows; each variant's median window. */
async function interleavedAsync<K extends string>(variants: Record<K, () => Promise<unknown>>, windowMs: number, rounds: number): Promise<Record<K, number>> {
  const names = Object.keys(variants) as K[];
  const figures = new Map<K, number[]>(names.map((name) => [name, []]));
  for (const name of names) await measure(variants[name], { concurrency: 1, durationMs: windowMs });
  for (let round = 0; round < rounds; round++) {
    for (const name of names) figures.get(name)!.push((await measure(variants[name], { concurrency: 1, durationMs: windowMs })).opsPerSecond);
  }
  return Object.fromEntries(names.map((name) => [name, median(figures.get(name)!)])) as Record<K, number>;
}

/**
 * (webhook verifier issue) Verifying one 1 KB delivery: our synchronous Node path against the
 * least a correct receiver must do (HMAC with a cached KeyObject over "id.timestamp.body",
 * decode the offered signature, timingSafeEqual), and against the `standardwebhooks` package.
 * Every variant gets the same Buffer body and the same headers, as an `express.raw()` route would.
 * Our Web Crypto path is printed beside them, awaited one call at a time.
 */
export async function benchWebhookVerify(options: MeasureOptions): Promise<boolean[]> {
  section('Webhook verification: one 1 KB delivery');
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const body = eventBody(1024);
  const headers = sign(secret, body, { id: 'msg_2mYzbench', timestamp: new Date() });
  const key = createSecretKey(Buffer.from(secret.slice('whsec_'.length), 'base64'));
  const theirs = new Webhook(secret);

  let sink = 0; // consumes every result so that no variant's work can be optimised away
  const ops = {
    ours: () => {
      sink += verify(body, headers, secret).length;
    },
    bareHmac: () => {
      const expected = createHmac('sha256', key).update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.`).update(body).digest();
      const offered = Buffer.from(headers['webhook-signature'].slice(3), 'base64');
      if (offered.length === expected.length && timingSafeEqual(offered, expected)) sink++;
    },
    standardwebhooks: () => {
      sink += (theirs.verify(body, headers) as { type: string }).type.length;
    },
  };
  // Check every variant accepts the delivery before timing it: a variant that throws would be
  // measuring its error path.
  for (const op of Object.values(ops)) op();
  if ((await verifyAsync(body, headers, secret)).length !== body.length) throw new Error('the Web Crypto path did not verify the bench delivery');

  const windowMs = Math.max(200, Math.round(options.durationMs / 5));
  const sync = interleavedSync(ops, windowMs, 7);
  // The Web Crypto baseline: the one awaited crypto.subtle.sign a receiver cannot avoid, with the
  // key imported once and the signed bytes built once; interleaved with verifyAsync like the
  // synchronous variants, since both wait on the same thread pool.
  const subtleKey = await crypto.subtle.importKey('raw', key.export(), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signed = Buffer.concat([Buffer.from(`${headers['webhook-id']}.${headers['webhook-timestamp']}.`), body]);
  const web = await interleavedAsync(
    { verifyAsync: async () => (sink += (await verifyAsync(body, headers, secret)).length), bareSubtle: async () => (sink += (await crypto.subtle.sign('HMAC', subtleKey, signed)).byteLength) },
    windowMs,
    7,
  );
  if (sink === 0) throw new Error('unreachable: results were consumed');

  const unit = 'verifications/s';
  const results = [
    compare({ name: 'verify (sync) vs bare HMAC', ours: { label: 'verify', value: sync.ours }, baseline: { label: 'createHmac(KeyObject) + timingSafeEqual', value: sync.bareHmac }, unit, goal: 0.9 }),
    compare({ name: 'verify (sync) vs standardwebhooks', ours: { label: 'verify', value: sync.ours }, baseline: { label: 'standardwebhooks Webhook.verify', value: sync.standardwebhooks }, unit, goal: 3 }),
    compare({
      name: 'verifyAsync (Web Crypto) vs bare subtle.sign',
      ours: { label: 'verifyAsync, one at a time', value: web.verifyAsync },
      baseline: { label: 'awaited crypto.subtle.sign, cached CryptoKey', value: web.bareSubtle },
      unit,
      goal: 0.8,
    }),
  ];
  return results;
}
