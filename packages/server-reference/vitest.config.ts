import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'server-reference',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Each file starts embedded PostgreSQL (WASM) at least once; the first start compiles it.
    testTimeout: 30_000,
    hookTimeout: 90_000,
  },
});
