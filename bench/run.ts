// `pnpm bench`: every benchmark the issues name, each printed beside its baseline with the ratio.
// Benchmarks print; nothing here fails a build on a timing. Ratios are what matter: run on a
// quiet machine (other CPU load penalises the side doing more work and skews them).
import { benchSdkTransport } from './sdk-transport.ts';
import { benchServerIngest } from './server-ingest.ts';
import { benchServerLookup } from './server-lookup.ts';
import { benchIntegrationTokens } from './integration-tokens.ts';
import { benchWebhookVerify } from './webhook-verify.ts';
import { benchLookupCache } from './lookup-cache.ts';
import { benchCliStartup } from './cli-startup.ts';
import { benchServerMemory } from './server-memory.ts';
import { benchDashboard } from './dashboard.ts';
import { benchBookingOverlap } from './booking-overlap.ts';
import { benchCommsOutbox } from './comms-outbox.ts';
import { benchCalendarSync } from './calendar-sync.ts';

const quick = process.argv.includes('--quick');
// `node bench/run.ts --only cli-startup` (or `pnpm bench --only …`) runs the named sections only.
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1]?.split(',') : undefined;
const options = { concurrency: 32, durationMs: quick ? 1_500 : 5_000, warmupMs: quick ? 500 : 1_500 };

console.log(`# CareOS benchmarks (Node ${process.version}, ${options.durationMs / 1000}s windows, ${options.concurrency} in flight)`);
/** Every section, by the name `--only` takes, in the order they run. */
const sections: [string, () => Promise<boolean[]>][] = [
  ['sdk-transport', () => benchSdkTransport(options)],
  ['server-ingest', () => benchServerIngest(options)],
  ['server-lookup', () => benchServerLookup(options)],
  ['webhook-verify', () => benchWebhookVerify(options)],
  ['integration-tokens', () => benchIntegrationTokens(options)],
  ['lookup-cache', () => benchLookupCache(options)],
  ['dashboard', () => benchDashboard(options)],
  ['booking-overlap', () => benchBookingOverlap(options)],
  ['calendar-sync', () => benchCalendarSync(options)],
  ['comms-outbox', () => benchCommsOutbox(options)],
  ['cli-startup', () => benchCliStartup({ quick })],
  ['server-memory', () => benchServerMemory(options)],
];
const unknown = only?.filter((name) => !sections.some(([known]) => known === name)) ?? [];
if (unknown.length > 0) throw new Error(`unknown section(s) ${unknown.join(', ')}; known: ${sections.map(([name]) => name).join(', ')}`);
const results: boolean[] = [];
for (const [name, bench] of sections) if (!only || only.includes(name)) results.push(...(await bench()));
console.log(`\n${results.filter(Boolean).length}/${results.length} goals met`);
