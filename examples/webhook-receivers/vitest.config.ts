import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'example-webhook-receivers', include: ['src/**/*.test.ts'] } });
