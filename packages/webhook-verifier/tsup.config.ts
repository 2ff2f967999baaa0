import { defineConfig } from 'tsup';
import { nodeGuard } from '../../scripts/node-guard.ts';

export default defineConfig({
  // `web` must stay free of node: imports (checked by test/web-build.test.ts); `express` uses only
  // node:http types, never express itself.
  entry: { index: 'src/index.ts', web: 'src/web.ts', express: 'src/express.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: false,
  clean: true,
  target: 'node22',
  ...nodeGuard(import.meta.dirname),
  // Shared modules go into chunks that every entry imports, instead of a copy per entry, so
  // WebhookVerificationError is one class: `instanceof` holds whichever entry threw it.
  splitting: true,
  // Keep `node:crypto` as written: Deno and Bun resolve Node built-ins only with the prefix.
  removeNodeProtocol: false,
});
