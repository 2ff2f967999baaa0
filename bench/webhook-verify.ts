import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';
import { sign, verify } from '@careos/webhook-verifier';
import { verifyAsync } from '@careos/webhook-verifier/web';
import { Webhook } from 'standardwebhooks';
import { measure, measureSync, type MeasureOptions } from './lib/measure.ts';
import { compare, figure, section } from './lib/report.ts';

/** A CareOS-like event body of exactly `size` bytes. */
function eventBody(size: number): Buffer {
  const head = JSON.stringify({ type: 'alert.created', timestamp: new Date().toISOString(), alert_id: 'al_123', note: '' });
  return Buffer.from(head.replace('"note":""', `"note":"${'x'.repeat(size - head.length)}"`));
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
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
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
  const web = await measure(() => verifyAsync(body, headers, secret), { concurrency: 1, durationMs: options.durationMs, warmupMs: options.warmupMs ?? 0 });
  if (sink === 0) throw new Error('unreachable: results were consumed');

  const unit = 'verifications/s';
  const results = [
    compare({ name: 'verify (sync) vs bare HMAC', ours: { label: 'verify', value: sync.ours }, baseline: { label: 'createHmac(KeyObject) + timingSafeEqual', value: sync.bareHmac }, unit, goal: 0.9 }),
    compare({ name: 'verify (sync) vs standardwebhooks', ours: { label: 'verify', value: sync.ours }, baseline: { label: 'standardwebhooks Webhook.verify', value: sync.standardwebhooks }, unit, goal: 3 }),
  ];
  figure(`verifyAsync (Web Crypto, one at a time; ${(web.opsPerSecond / sync.bareHmac).toFixed(2)}x bare HMAC)`, web.opsPerSecond, unit);
  return results;
}
