import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node22',
    // import.meta.url (used to find the drizzle/ folder) also works in the CommonJS build.
    shims: true,
  },
  {
    entry: ['src/main.ts'],
    format: ['esm'],
    sourcemap: true,
    clean: false,
    target: 'node22',
  },
]);
