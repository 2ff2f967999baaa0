import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'server-reference', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } });
