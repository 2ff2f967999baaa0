// `pnpm bench`: every benchmark the issues name, each printed beside its baseline with the ratio.
// Benchmarks print; nothing here fails a build on a timing. Ratios are what matter: run on a
// quiet machine (other CPU load penalises the side doing more work and skews them).
import { benchSdkTransport } from './sdk-transport.ts';
import { benchServerIngest } from './server-ingest.ts';
import { benchServerLookup } from './server-lookup.ts';
import { benchIntegrationTokens } from './integration-tokens.ts';
import { benchWebhookVerify } from './webhook-verify.ts';
import { benchLookupCache } from './lookup-cache.ts';

const quick = process.argv.includes('--quick');
const options = { concurrency: 32, durationMs: quick ? 1_500 : 5_000, warmupMs: quick ? 500 : 1_500 };

console.log(`# CareOS benchmarks (Node ${process.version}, ${options.durationMs / 1000}s windows, ${options.concurrency} in flight)`);
// `--only ingest,lookup` runs some sections (by the names below); every section otherwise.
const sections = {
  transport: benchSdkTransport,
  ingest: benchServerIngest,
  lookup: benchServerLookup,
  'webhook-verify': benchWebhookVerify,
  tokens: benchIntegrationTokens,
  'lookup-cache': benchLookupCache,
} as const;
const onlyArg = process.argv.find((arg, i) => process.argv[i - 1] === '--only' || arg.startsWith('--only='));
const only = onlyArg?.replace(/^--only=/, '').split(',').map((name) => name.trim());
const unknown = only?.filter((name) => !(name in sections)) ?? [];
if (unknown.length) {
  console.error(`Unknown section(s) ${unknown.join(', ')}; choose from ${Object.keys(sections).join(', ')}`);
  process.exit(2);
}
const results: boolean[] = [];
for (const [name, run] of Object.entries(sections)) if (!only || only.includes(name)) results.push(...(await run(options)));
console.log(`\n${results.filter(Boolean).length}/${results.length} goals met`);
