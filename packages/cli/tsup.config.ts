import { defineConfig } from 'tsup';
import { nodeGuard } from '../../scripts/node-guard.ts';

// ESM only: commander 15 and chalk 6 are ESM-only, and the CLI is a program first.
export default defineConfig({
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  sourcemap: false,
  clean: true,
  target: 'node22',
  ...nodeGuard(import.meta.dirname),
});
