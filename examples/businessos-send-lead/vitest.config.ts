import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'example-businessos-send-lead', include: ['src/**/*.test.ts'] } });
