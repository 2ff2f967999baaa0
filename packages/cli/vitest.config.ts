import { defineProject } from 'vitest/config';

// Some tests start a reference server in a child process: a fresh embedded database runs initdb
// first, which takes several seconds on a 2-core machine.
export default defineProject({ test: { name: 'cli', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 } });
