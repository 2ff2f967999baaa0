import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'server-reference',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Each file starts embedded PostgreSQL (WASM) at least once; the first start compiles it.
    // One worker runs every file in turn, importing the server's modules once instead of once
    // per file (about a second each). No test here stubs modules, globals or timers; the one
    // that sets an environment variable restores it.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 90_000,
  },
});
