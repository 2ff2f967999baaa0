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
  // `require('@careos/sdk')` returns the client constructor with every named export on it (and
  // `default`), as openai-node's CommonJS entry does, so `new (require('@careos/sdk'))()` and
  // `const { CareOS, APIError } = require('@careos/sdk')` both work. The ESM build is unchanged.
  footer: ({ format }) =>
    format === 'cjs'
      ? { js: 'module.exports = Object.defineProperty(Object.assign(module.exports.CareOS, module.exports), "__esModule", { value: true });' }
      : {},
});
