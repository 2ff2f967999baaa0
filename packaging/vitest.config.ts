import { defineProject } from 'vitest/config';

// What the packages publish: packed as `pnpm publish` would, linted (publint, attw), published
// in a dry run, installed into a fresh project outside the workspace and used from there.
// Needs the build (`pnpm test` builds first).
export default defineProject({
  test: {
    name: 'packaging',
    include: ['*.test.ts'],
    globalSetup: ['./pack-once.ts'],
    testTimeout: 180_000,
    hookTimeout: 240_000,
  },
});
