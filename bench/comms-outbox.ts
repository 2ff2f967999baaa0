// Communications: how fast the outbox hands queued SMS to the provider. One bulk send
// (`POST /comms/bulk`, staff token) queues a batch of contacts; the figure is messages per second
// from the request until the last one has reached a local fake Twilio, against a bare loop of the
// same Twilio adapter's `send()` to the same fake with as many calls in flight as the outbox uses.
// Both go through the real adapter over HTTP; the outbox's share is the queueing transaction,
// the claim before each send and the status written after.
import './lib/source-imports.ts';
import { createTwilioSmsProvider, startServer, type SmsProvider } from '@careos/server-reference';
import { interleaved, type MeasureOptions } from './lib/measure.ts';
import { compare, figure, section } from './lib/report.ts';

const { startFakeTwilio } = await import('../packages/server-reference/test/fakes/twilio.ts');

/** Messages per measured batch. */
const BATCH = 1_000;
/** The outbox's send concurrency (`SEND_CONCURRENCY`), given to the bare loop too. */
const IN_FLIGHT = 16;
const BODY = 'Our office is closed on Monday 24 May. Reply STOP to opt out.';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Resolves once `count()` reaches `target`, checking every 2 ms. */
async function until(count: () => number, target: number): Promise<void> {
  while (count() < target) await new Promise((resolve) => setTimeout(resolve, 2));
}

export async function benchCommsOutbox(options: MeasureOptions): Promise<boolean[]> {
  section('Communications: outbox queue-to-provider throughput vs a bare loop of provider calls (fake Twilio)');
  const fake = await startFakeTwilio();
  const twilio = (): SmsProvider =>
    createTwilioSmsProvider({ accountSid: fake.accountSid, authToken: fake.authToken, fromNumber: '+15005550006', messagingServiceSid: null, baseUrl: fake.url });
  const server = await startServer({
    port: 0,
    dataDir: 'memory',
    logger: false,
    seed: 'demo',
    providers: { sms: twilio() },
    env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', CAREOS_QUIET_HOURS: 'off' },
  });
  try {
    await server.app.seedContactScale(BATCH);
    const admin = server.demoCredentials!.admin;
    const login = await fetch(`${server.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
    const { access_token: token } = (await login.json()) as { access_token: string };
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const clients: string[] = [];
    for (let cursor: string | null = null; clients.length < BATCH; ) {
      const page = (await (await fetch(`${server.url}/contacts?limit=100&source=manual${cursor ? `&cursor=${cursor}` : ''}`, { headers })).json()) as {
        contacts: { id: string; phone: string | null }[];
        next_cursor: string | null;
      };
      clients.push(...page.contacts.filter((c) => c.phone?.startsWith('+1415')).map((c) => c.id));
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    const recipients = clients.slice(0, BATCH).map((client_id) => ({ client_id }));
    const bare = twilio();
    let bareSeq = 0;
    // Where a batch's time goes: the bulk request (queueing) and the dispatch after its answer.
    const queuedMs: number[] = [];
    const dispatchedMs: number[] = [];
    const variants = {
      outbox: async () => {
        const before = fake.messages.length;
        const t0 = performance.now();
        const res = await fetch(`${server.url}/comms/bulk`, { method: 'POST', headers, body: JSON.stringify({ type: 'sms', body: BODY, recipients }) });
        if (res.status !== 201) throw new Error(`bulk send answered ${res.status}: ${await res.text()}`);
        const t1 = performance.now();
        await until(() => fake.messages.length, before + recipients.length);
        queuedMs.push(t1 - t0);
        dispatchedMs.push(performance.now() - t1);
      },
      bare: async () => {
        let next = 0;
        await Promise.all(
          Array.from({ length: IN_FLIGHT }, async () => {
            while (next < recipients.length) {
              next += 1;
              bareSeq += 1;
              await bare.send({ id: `msg_bench_${bareSeq}`, to: `+1415${3_000_000 + (bareSeq % 100_000)}`, body: BODY });
            }
          }),
        );
      },
    };
    // One op is a whole batch, run alone: the figure is the batch's messages over its duration.
    const results = await interleaved(variants, { ...options, concurrency: 1, rounds: 3 });
    const rate = (opsPerSecond: number) => opsPerSecond * recipients.length;
    figure('Messages per batch', recipients.length, 'messages');
    figure('Outbox batch, queueing (POST /comms/bulk), median', median(queuedMs), 'ms');
    figure('Outbox batch, dispatch after the answer until all reached the fake, median', median(dispatchedMs), 'ms');
    return [
      compare({
        name: 'Outbox queue-to-provider throughput',
        ours: { label: 'POST /comms/bulk until all reached the fake', value: rate(results.outbox.opsPerSecond) },
        baseline: { label: `bare adapter send() loop, ${IN_FLIGHT} in flight`, value: rate(results.bare.opsPerSecond) },
        unit: 'messages/s',
        goal: 0.8,
      }),
    ];
  } finally {
    await server.close();
    await fake.close();
  }
}
