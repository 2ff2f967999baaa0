/** Writes api.md from the SDK's resource → route mapping: `pnpm --filter @careos/sdk api-md`. */
import { writeFileSync } from 'node:fs';
import { apiMdPath, collectApiMethods, renderApiMd, unmappedRoutes } from './api-map.js';

const methods = collectApiMethods();
const missing = unmappedRoutes(methods);
if (missing.length > 0) {
  console.error(`Contract routes without an SDK method: ${missing.map((r) => r.id).join(', ')}`);
  process.exitCode = 1;
}
writeFileSync(apiMdPath, renderApiMd(methods));
console.log(`Wrote ${apiMdPath} (${methods.length} methods)`);
