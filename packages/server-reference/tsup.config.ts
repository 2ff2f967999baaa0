import { defineConfig } from 'tsup';
import { nodeGuard } from '../../scripts/node-guard.ts';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: false,
    clean: true,
    target: 'node22',
    ...nodeGuard(import.meta.dirname),
    // import.meta.url (used to find the drizzle/ folder) also works in the CommonJS build.
    shims: true,
    noExternal: ['drizzle-orm'],
  },
  {
    // The database thread's script sits next to the bundles that start it (see pglite-thread.ts).
    entry: { main: 'src/main.ts', 'pglite-worker': 'src/db/pglite-worker.ts' },
    format: ['esm'],
    sourcemap: false,
    clean: false,
    noExternal: ['drizzle-orm'],
    target: 'node22',
    ...nodeGuard(import.meta.dirname),
  },
]);
