import { defineConfig } from 'tsup';
import { nodeGuard } from '../../scripts/node-guard.ts';
import { thirdPartyNotices } from './build/third-party-notices.ts';
import { workspaceSources } from './build/workspace-sources.ts';

// ESM only: commander 15 and chalk 6 are ESM-only, and the CLI is a program first.
//
// The SDK and what it loads (the contract's zod schemas, undici, libphonenumber-js) are bundled
// into the CLI's chunks: loaded as hundreds of separate files they made an API command's
// start-up 9x a bare `node -e 0`, bundled about 4.5x (see `pnpm bench --only cli-startup` and
// docs/decisions.md). Code splitting keeps each command's `import()` in the manifest a chunk of
// its own, so `careos --help` loads none of it. The small CLI libraries (commander, chalk), the
// prompts (loaded on first prompt), the native keychain binding and the optional server stay
// ordinary dependencies.
const BUNDLED = ['@careos/sdk', '@careos/contract', '@careos/webhook-verifier', 'zod', 'undici', 'libphonenumber-js', 'lru-cache'];

const guard = nodeGuard(import.meta.dirname);

export default defineConfig({
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  sourcemap: false,
  clean: true,
  target: 'node22',
  ...guard,
  splitting: true,
  noExternal: BUNDLED,
  esbuildPlugins: [workspaceSources(), thirdPartyNotices('dist')],
  // The guard's import comes first; then bundled CommonJS (undici) calls require() for Node's
  // built-ins, which an ES module does not have.
  banner: (context) => ({
    js: `${guard.banner(context).js}\nimport { createRequire as __careosCreateRequire } from 'node:module'; const require = __careosCreateRequire(import.meta.url);`,
  }),
});
