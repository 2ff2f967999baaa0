// Communications: how fast the outbox hands queued SMS to the provider. One bulk send
// (`POST /comms/bulk`, staff token) queues a batch of contacts; the figure is messages per second
// from the request until the last one has reached a local fake Twilio, against a bare loop of the
// same Twilio adapter's `send()` to the same fake with as many calls in flight as the outbox uses.
// Both go through the real adapter over HTTP; the outbox's share is the queueing transaction,
// the claim before each send and the status written after.
//
// A third variant measures a floor in the same run, on the same embedded database: the three
// writes every outbox message needs (inserted queued, claimed, its result recorded), as bare
// statements in the outbox's batch sizes, with nothing else (no HTTP, encryption, audit or
// provider). The queueing insert must commit before anything is sent; after it, the sends
// cannot beat the bare loop nor the claims and results the database, so no outbox on this
// database can do better than bare / (insert + max(bare, claims + results)): printed as the
// ceiling. CPU per batch is read per thread from /proc; when every core is busy (a shared
// machine) throughput follows CPU, and the outbox needs at least the bare loop's CPU plus the
// floor's: bare CPU / (bare CPU + floor CPU) is the ceiling then.
import './lib/source-imports.ts';
import { createRequire } from 'node:module';
import { createTwilioSmsProvider, startServer, type Database, type SmsProvider } from '@careos/server-reference';
import { interleaved, type MeasureOptions } from './lib/measure.ts';
import { compare, figure, section } from './lib/report.ts';
import { cpuSince, threadCpu, type ThreadCpu } from './lib/thread-cpu.ts';

const { startFakeTwilio } = await import('../packages/server-reference/test/fakes/twilio.ts');
// The server's own drizzle, for the floor's bare statements (the bench has no dependency of its own on it).
const { sql } = (await import(createRequire(import.meta.resolve('@careos/server-reference')).resolve('drizzle-orm'))) as {
  sql: (strings: TemplateStringsArray, ...values: unknown[]) => Parameters<Database['rows']>[0];
};

/** Messages per measured batch. */
const BATCH = 1_000;
/** The outbox's send concurrency (`SEND_CONCURRENCY`), given to the bare loop too. */
const IN_FLIGHT = 16;
const BODY = 'Our office is closed on Monday 24 May. Reply STOP to opt out.';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** The outbox's claim and result chunk: half of `CLAIM_AHEAD` (8 × 16), as it claims ahead. */
const CHUNK = 64;

/** CPU spent per thread group over the runs of one variant, summed. */
function cpuTally() {
  const total: ThreadCpu = new Map();
  let runs = 0;
  return {
    async around<T>(work: () => Promise<T>): Promise<T> {
      const before = threadCpu(process.pid);
      const result = await work();
      const after = threadCpu(process.pid);
      if (before && after) for (const [group, us] of cpuSince(before, after)) total.set(group, (total.get(group) ?? 0) + us);
      runs += 1;
      return result;
    },
    /** Milliseconds per run in `group` (`main`, `careos-pglite`, `v8 helpers`), or in every thread. */
    perRun: (group?: string) => (runs === 0 ? 0 : (group === undefined ? [...total.values()].reduce((a, b) => a + b, 0) : (total.get(group) ?? 0)) / runs / 1000),
  };
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
    let floorSeq = 0;
    // Where a batch's time goes: the bulk request (queueing) and the dispatch after its answer.
    const queuedMs: number[] = [];
    const dispatchedMs: number[] = [];
    const bareMs: number[] = [];
    const floorMs = { insert: [] as number[], claims: [] as number[], results: [] as number[] };
    const cpu = { outbox: cpuTally(), bare: cpuTally(), floor: cpuTally() };
    const variants = {
      outbox: () =>
        cpu.outbox.around(async () => {
          const before = fake.messages.length;
          const t0 = performance.now();
          const res = await fetch(`${server.url}/comms/bulk`, { method: 'POST', headers, body: JSON.stringify({ type: 'sms', body: BODY, recipients }) });
          if (res.status !== 201) throw new Error(`bulk send answered ${res.status}: ${await res.text()}`);
          const t1 = performance.now();
          await until(() => fake.messages.length, before + recipients.length);
          queuedMs.push(t1 - t0);
          dispatchedMs.push(performance.now() - t1);
        }),
      bare: () =>
        cpu.bare.around(async () => {
          const t0 = performance.now();
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
          bareMs.push(performance.now() - t0);
        }),
      // The database floor: a batch's rows inserted queued in one statement, then claimed and
      // their results written in chunks, as bare statements on the server's database.
      floor: () =>
        cpu.floor.around(async () => {
          const ids = recipients.map(() => `msg_benchfloor${String((floorSeq += 1)).padStart(10, '0')}`);
          const t0 = performance.now();
          await server.db.rows(sql`
            insert into messages (id, channel, direction, kind, automated, content_enc, language, status, provider, attempts, locked_until, locked_by, created_at, encoding, segments)
            select x, 'sms', 'outbound', 'bench_floor', false, repeat('x', 200), 'en', 'queued', 'twilio', 0, now() + interval '10 seconds', 'bench', now(), 'GSM-7', 1
              from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) as x`);
          const t1 = performance.now();
          for (let i = 0; i < ids.length; i += CHUNK) {
            await server.db.rows(sql`update messages set status = 'sending' where id in (select jsonb_array_elements_text(${JSON.stringify(ids.slice(i, i + CHUNK))}::jsonb)) and status = 'queued'`);
          }
          const t2 = performance.now();
          for (let i = 0; i < ids.length; i += CHUNK) {
            await server.db.rows(sql`
              update messages set status = 'sent', provider_message_id = 'SM' || md5(id), sent_at = now(), attempts = attempts + 1, locked_until = null
               where id in (select jsonb_array_elements_text(${JSON.stringify(ids.slice(i, i + CHUNK))}::jsonb))`);
          }
          const t3 = performance.now();
          floorMs.insert.push(t1 - t0);
          floorMs.claims.push(t2 - t1);
          floorMs.results.push(t3 - t2);
        }),
    };
    // One op is a whole batch, run alone: the figure is the batch's messages over its duration.
    const results = await interleaved(variants, { ...options, concurrency: 1, rounds: 3 });
    const rate = (opsPerSecond: number) => opsPerSecond * recipients.length;
    figure('Messages per batch', recipients.length, 'messages');
    figure('Outbox batch, queueing (POST /comms/bulk), median', median(queuedMs), 'ms');
    figure('Outbox batch, dispatch after the answer until all reached the fake, median', median(dispatchedMs), 'ms');
    figure('Bare loop batch, median', median(bareMs), 'ms');
    const floor = { insert: median(floorMs.insert), claims: median(floorMs.claims), results: median(floorMs.results) };
    figure(`Database floor per batch, median: insert ${floor.insert.toFixed(0)} ms + claims ${floor.claims.toFixed(0)} ms + results ${floor.results.toFixed(0)} ms (bare statements, ${CHUNK} a chunk)`, floor.insert + floor.claims + floor.results, 'ms');
    for (const [name, tally] of Object.entries(cpu)) {
      figure(`CPU per batch, ${name}: main thread ${tally.perRun('main').toFixed(0)} ms, database thread ${tally.perRun('careos-pglite').toFixed(0)} ms, GC and compiler threads`, tally.perRun('v8 helpers'), 'ms');
    }
    const bareBatch = median(bareMs);
    figure('Outbox ceiling on this database (bare / (insert + max(bare, claims + results)))', bareBatch / (floor.insert + Math.max(bareBatch, floor.claims + floor.results)), 'x');
    figure('Outbox ceiling when the CPU is the limit (bare CPU / (bare CPU + floor CPU), all threads)', cpu.bare.perRun() / (cpu.bare.perRun() + cpu.floor.perRun()), 'x');
    figure('Outbox CPU per batch over the bare loop\'s, all threads (the ratio when the CPU is the limit)', cpu.bare.perRun() / cpu.outbox.perRun(), 'x');
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
