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
const results = [...(await benchSdkTransport(options)), ...(await benchServerIngest(options)), ...(await benchServerLookup(options)), ...(await benchWebhookVerify(options)), ...(await benchIntegrationTokens(options)), ...(await benchLookupCache(options))];
console.log(`\n${results.filter(Boolean).length}/${results.length} goals met`);
