import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { InboundLead } from '@careos/contract';
import { CareOS, type ClientOptions } from '@careos/sdk';
import { Dispatcher, Pool } from 'undici';
import { startChild } from './lib/child.ts';
import { encryptedLead } from './lib/leads.ts';
import { measure, type MeasureOptions } from './lib/measure.ts';
import { compare, figure, section } from './lib/report.ts';
import { threadCpu } from './lib/thread-cpu.ts';

/**
 * (issue 14.1) `leads.ingest` round trips through the SDK vs hand-written undici `Pool.request`
 * code sending the same bytes (same headers, same body) vs global `fetch`, all against one
 * minimal server in another process. The SDK runs with its defaults (3 retries, request
 * validation, an `Idempotency-Key` per call, the logger at its default level), and once more with
 * validation off. The lead is encrypted once beforehand so every variant sends identical bytes;
 * each serialises the lead object per call, as hand-written code would. The cost of encrypting
 * per call is printed separately.
 *
 * Beside the ratios the section prints where the microseconds go: CPU time per call of this
 * process and of the server over the same windows, and the SDK's own work per call with the
 * sockets taken out (an in-memory dispatcher that answers at once).
 */
export async function benchSdkTransport(options: MeasureOptions): Promise<boolean[]> {
  section('SDK transport: leads.ingest round trips');
  const server = await startChild('minimal.ts');
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const salt = 'bench-salt';
  const lead = encryptedLead(1, 'businessos', publicKey, salt);
  const path = '/api/leads/ingest';
  // What the SDK sends besides the idempotency key (checked against a request it made below).
  const headers = {
    accept: 'application/json',
    'user-agent': sdkUserAgent(),
    'x-api-key': 'businessos_live_bench',
    'x-platform': 'businessos',
    'content-type': 'application/json',
  };

  // `env: {}`: the defaults, whatever CAREOS_* variables the shell running the bench has set.
  const settings: ClientOptions = { baseURL: server.url, apiKey: 'businessos_live_bench', platform: 'businessos', publicKey, phoneHashSalt: salt, env: {} };
  const sdk = new CareOS(settings);
  const sdkNoValidation = new CareOS({ ...settings, validateRequestBodies: false });
  const pool = new Pool(server.url);
  try {
    const variants = {
      sdk: () => sdk.leads.ingest(lead),
      sdkNoValidation: () => sdkNoValidation.leads.ingest(lead),
      undici: async () => {
        const res = await pool.request({ method: 'POST', path, headers: { ...headers, 'idempotency-key': randomUUID() }, body: JSON.stringify(lead) });
        return res.body.json();
      },
      fetch: async () => {
        const res = await fetch(server.url + path, { method: 'POST', headers: { ...headers, 'idempotency-key': randomUUID() }, body: JSON.stringify(lead) });
        return res.json();
      },
    };
    const windows = await rounds(variants, server.pid, { ...options, rounds: ROUNDS, durationMs: Math.max(400, Math.round(options.durationMs / 4)) });
    const ops = (name: keyof typeof variants) => median(windows[name].map((w) => w.opsPerSecond));
    const spread = (name: keyof typeof variants) => quartiles(windows[name].map((w, r) => w.opsPerSecond / (windows.undici[r] as Window).opsPerSecond));
    const results = [
      compare({ name: 'SDK (defaults) vs raw undici', ours: { label: 'SDK', value: ops('sdk') }, baseline: { label: 'undici Pool.request', value: ops('undici') }, unit: 'req/s', goal: 0.85 }),
      compare({
        name: 'SDK without validation vs raw undici',
        ours: { label: 'SDK (validateRequestBodies: false)', value: ops('sdkNoValidation') },
        baseline: { label: 'undici Pool.request', value: ops('undici') },
        unit: 'req/s',
        goal: 0.95,
      }),
      compare({ name: 'SDK vs fetch', ours: { label: 'SDK', value: ops('sdk') }, baseline: { label: 'global fetch', value: ops('fetch') }, unit: 'req/s', goal: 2 }),
    ];
    console.log(`Ratio to undici round by round (${ROUNDS} rounds): SDK ${spread('sdk')}; SDK without validation ${spread('sdkNoValidation')}`);

    console.log('\nWhere the microseconds go (CPU time per call, median of the rounds, min–max):');
    const cpu = (name: keyof typeof variants, side: 'client' | 'server') => windows[name].map((w) => w[side]).filter((us): us is number => us !== undefined);
    for (const name of ['undici', 'sdk', 'sdkNoValidation'] as const) {
      const server = cpu(name, 'server');
      console.log(
        `  ${LABELS[name].padEnd(24)} this process ${us(median(cpu(name, 'client')))} (${usRange(cpu(name, 'client'))})` +
          (server.length > 0 ? `; server ${us(median(server))} (${usRange(server)})` : ''),
      );
    }
    const clientMedian = (name: keyof typeof variants) => median(cpu(name, 'client'));
    console.log(
      `  Ratio of this process's CPU per call, undici / SDK: ${(clientMedian('undici') / clientMedian('sdk')).toFixed(2)}x, ` +
        `without validation ${(clientMedian('undici') / clientMedian('sdkNoValidation')).toFixed(2)}x ` +
        '(what the throughput ratio tends to while this process is the bound, i.e. while its CPU per call exceeds the server\'s)',
    );
    const serverMedian = median(cpu('undici', 'server'));
    if (!Number.isNaN(serverMedian)) {
      console.log(
        clientMedian('undici') > serverMedian
          ? `  Bound: this process (raw undici ${us(clientMedian('undici'))} per call here against the server's ${us(serverMedian)}), so the throughput ratio follows the clients' CPU per call`
          : `  Bound: the server (${us(serverMedian)} per call against raw undici's ${us(clientMedian('undici'))} here): the throughput ratio hides client work up to that difference`,
      );
    }
    await ownWork(lead, headers, settings);

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
    figure('\nSDK with a plain phone (normalise + encrypt + hash per call)', withEncryption.opsPerSecond, 'req/s');
    return results;
  } finally {
    await sdk.close();
    await sdkNoValidation.close();
    await pool.close();
    await server.stop();
  }
}

/** Measured rounds of the socket comparison (each variant once per round). */
const ROUNDS = 11;
const LABELS = { undici: 'undici Pool.request', sdk: 'SDK', sdkNoValidation: 'SDK without validation', fetch: 'fetch' } as const;
/** Parses of InboundLead timed alone. */
const VALIDATIONS = 20_000;
/** Rounds of the in-memory comparison (each variant 400 ms per round). */
const MEMORY_ROUNDS = 9;
const MEMORY_LABELS = { undici: 'undici request()', sdk: 'SDK', sdkNoValidation: 'SDK without validation' } as const;

/** One measured window of one variant. */
interface Window {
  opsPerSecond: number;
  /** CPU time of this process per call, µs. */
  client: number;
  /** CPU time of the server process per call, µs (`undefined` without `/proc`). */
  server: number | undefined;
}

/**
 * Runs the variants in rotating order (A B C D, B C D A, …) as `interleaved()` does, after one
 * unmeasured warm-up window each, and keeps every window with the CPU time both processes spent
 * in it, so that each round's ratio and the spread can be printed.
 */
async function rounds<K extends string>(
  variants: Record<K, () => Promise<unknown>>,
  serverPid: number,
  options: MeasureOptions & { rounds: number },
): Promise<Record<K, Window[]>> {
  const names = Object.keys(variants) as K[];
  const windows = Object.fromEntries(names.map((n) => [n, [] as Window[]])) as Record<K, Window[]>;
  for (const name of names) await measure(variants[name], { ...options, durationMs: options.warmupMs ?? 500, warmupMs: 0 });
  for (let r = 0; r < options.rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length] as K;
      const serverBefore = threadCpu(serverPid);
      const clientBefore = process.cpuUsage();
      const m = await measure(variants[name], { ...options, warmupMs: 0 });
      const client = process.cpuUsage(clientBefore);
      const serverAfter = threadCpu(serverPid);
      const serverUs = serverBefore && serverAfter ? sum(serverAfter) - sum(serverBefore) : undefined;
      windows[name].push({ opsPerSecond: m.opsPerSecond, client: (client.user + client.system) / m.ops, server: serverUs === undefined ? undefined : serverUs / m.ops });
    }
  }
  return windows;
}

/**
 * The SDK's own work per call with the network taken out: an in-memory dispatcher answers every
 * request at once (on the next turn of the event loop), and the same call is made through the
 * SDK and through undici's `request()` + `body.json()` on that dispatcher. Only the part above
 * the socket differs, so the gap is the SDK's code; request validation is printed alone too.
 */
async function ownWork(lead: InboundLead, headers: Record<string, string>, settings: ClientOptions): Promise<void> {
  const memory = new MemoryDispatcher();
  const origin = 'http://127.0.0.1:1';
  const sdk = new CareOS({ ...settings, baseURL: origin, dispatcher: memory });
  const sdkNoValidation = new CareOS({ ...settings, baseURL: origin, dispatcher: memory, validateRequestBodies: false });
  const variants = {
    undici: async () => {
      const res = await memory.request({ origin, method: 'POST', path: '/api/leads/ingest', headers: { ...headers, 'idempotency-key': randomUUID() }, body: JSON.stringify(lead) });
      return res.body.json();
    },
    sdk: () => sdk.leads.ingest(lead),
    sdkNoValidation: () => sdkNoValidation.leads.ingest(lead),
  };
  await sdk.leads.ingest(lead);
  const sent = memory.last;
  const same = sent !== undefined && Object.keys(headers).every((name) => sent.headers[name] === headers[name]) && sent.bodyLength === Buffer.byteLength(JSON.stringify(lead));
  const cpu: Record<keyof typeof variants, number[]> = { undici: [], sdk: [], sdkNoValidation: [] };
  const names = Object.keys(variants) as (keyof typeof variants)[];
  for (const name of names) await measure(variants[name], { concurrency: 32, durationMs: 300 });
  for (let r = 0; r < MEMORY_ROUNDS; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length] as keyof typeof variants;
      const before = process.cpuUsage();
      const m = await measure(variants[name], { concurrency: 32, durationMs: 400 });
      const spent = process.cpuUsage(before);
      cpu[name].push((spent.user + spent.system) / m.ops);
    }
  }
  // CPU time of this thread rather than wall time: on a busy machine a tight loop is preempted.
  for (let i = 0; i < 2_000; i++) InboundLead.safeParse(lead);
  const cpuBefore = process.threadCpuUsage();
  for (let i = 0; i < VALIDATIONS; i++) InboundLead.safeParse(lead);
  const cpuSpent = process.threadCpuUsage(cpuBefore);
  const validation = (cpuSpent.user + cpuSpent.system) / VALIDATIONS;
  console.log(`  Without sockets (an in-memory dispatcher answering at once; median of ${MEMORY_ROUNDS} rounds, min–max):`);
  for (const name of names) console.log(`    ${MEMORY_LABELS[name].padEnd(22)} ${us(median(cpu[name]))} (${usRange(cpu[name])})`);
  console.log(
    `    request validation in the SDK (median of each round's difference; compiled once a schema is hot): ${us(median(cpu.sdk.map((v, r) => v - (cpu.sdkNoValidation[r] as number))))}; ` +
      `InboundLead through zod's uncompiled parser (a client's first calls): ${us(validation)}`,
  );
  console.log(`  The SDK sent the baseline's headers and body length: ${same ? 'yes' : 'NO (the comparison is not like for like)'}`);
  await sdk.close();
  await sdkNoValidation.close();
}

/** Answers every request with the minimal server's ingest response, from memory, on the next turn of the event loop. */
class MemoryDispatcher extends Dispatcher {
  static readonly body = Buffer.from(
    JSON.stringify({
      success: true,
      careos_lead_id: 'lead_01jdbench000000000000000000',
      careos_user_id: 'user_01jdbench000000000000000000',
      careos_will_contact: true,
      is_new_user: true,
    }),
  );
  last: { headers: Record<string, string>; bodyLength: number } | undefined;

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const body = options.body;
    this.last = { headers: options.headers as Record<string, string>, bodyLength: typeof body === 'string' ? Buffer.byteLength(body) : Buffer.isBuffer(body) ? body.length : 0 };
    let aborted: Error | undefined;
    const controller = {
      aborted: false,
      paused: false,
      reason: null,
      rawHeaders: null,
      rawTrailers: null,
      abort: (reason: Error) => void (aborted ??= reason),
      pause: () => {},
      resume: () => {},
    } as unknown as Dispatcher.DispatchController;
    handler.onRequestStart?.(controller, {});
    setImmediate(() => {
      if (aborted) return handler.onResponseError?.(controller, aborted);
      handler.onResponseStart?.(controller, 200, { 'content-type': 'application/json', 'content-length': String(MemoryDispatcher.body.length) }, 'OK');
      handler.onResponseData?.(controller, MemoryDispatcher.body);
      handler.onResponseEnd?.(controller, {});
    });
    return true;
  }

  override close(): Promise<void> {
    return Promise.resolve();
  }

  override destroy(): Promise<void> {
    return Promise.resolve();
  }
}

/** The `User-Agent` the SDK sends (core.ts builds it from its version and Node's). */
function sdkUserAgent(): string {
  const { version } = createRequire(import.meta.url)('@careos/sdk/package.json') as { version: string };
  return `careos-sdk-node/${version} node/${process.versions.node}`;
}

function sum(groups: Map<string, number>): number {
  let total = 0;
  for (const us of groups.values()) total += us;
  return total;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
}

/** `median x (quartiles a–b, all c–d)` of a list of ratios. */
function quartiles(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted[Math.round(q * (sorted.length - 1))] as number).toFixed(2);
  return `median ${at(0.5)}x (quartiles ${at(0.25)}–${at(0.75)}, all ${at(0)}–${at(1)})`;
}

const us = (value: number) => `${value.toFixed(1)} µs`;
const usRange = (values: number[]) => `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`;
