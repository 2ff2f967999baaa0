import { defineConfig } from 'tsup';
import { nodeGuard } from '../../scripts/node-guard.ts';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  // The bundles are not minified and keep their names, so stack traces read without maps.
  sourcemap: false,
  clean: true,
  target: 'node22',
  ...nodeGuard(import.meta.dirname),
});
