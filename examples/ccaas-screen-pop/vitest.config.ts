import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'example-ccaas-screen-pop', include: ['*/**/*.test.ts'] } });
