import { RateLimitedEnvelope } from '@careos/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DemoCredentials } from '../src/index.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { generateTestKeys } from './helpers/keys.js';
import { lookupGet, lookupPost } from './helpers/lookup.js';

const keys = generateTestKeys();
const redisUrl = process.env.REDIS_URL;

describe.each(backendNames())('lookup rate limits (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let demo: DemoCredentials;
  const started: TestApp[] = [];
  const start = async (extra: Record<string, string> = {}) => {
    const server = await startApp({ db, env: testEnv({ keys, extra: { CAREOS_RATE_LIMIT_LOOKUP: '3', ...extra } }) });
    started.push(server);
    return server;
  };

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    demo = await (await start()).app.seedDemo();
  });
  afterAll(async () => {
    for (const server of started) await server.close();
    await backend?.dispose();
  });

  it('counts per key across GET and POST, found and not found, and answers 429 with Retry-After', async () => {
    const server = await start();
    const key = { 'x-api-key': demo.lookup.apiKey };
    const seen = [await lookupGet(server, '%2B390622224444', key), await lookupPost(server, '+391234567890', key), await lookupGet(server, '%2B390622224444', { authorization: `Bearer ${demo.lookup.apiKey}` })];
    expect(seen.map((r) => r.status)).toEqual([200, 404, 200]);
    expect(seen.map((r) => r.headers['x-ratelimit-remaining'])).toEqual(['2', '1', '0']);
    for (const res of seen) {
      expect(res.headers['x-ratelimit-limit']).toBe('3');
      expect(Date.parse(res.headers['x-ratelimit-reset']!)).toBeGreaterThan(Date.now() - 1000);
    }
    const limited = await lookupGet(server, '%2B390622224444', key);
    expect(limited.status).toBe(429);
    expect(RateLimitedEnvelope.parse(limited.body)).toMatchObject({ error: 'Rate limit exceeded', code: 'RATE_LIMITED' });
    expect(limited.headers['retry-after']).toBe(String(limited.body.retryAfter));
    // The seed's placeholder key is another key, with its own budget.
    expect((await lookupGet(server, '%2B390622224444')).status).toBe(200);
  });

  it('defaults to 1000 lookups per minute per key', async () => {
    const server = await startApp({ db, env: testEnv({ keys }) });
    started.push(server);
    expect((await lookupGet(server, '%2B390622224444')).headers['x-ratelimit-limit']).toBe('1000');
  });

  it.skipIf(!redisUrl)('shares one exact count between two instances through Redis', async () => {
    const a = await start({ REDIS_URL: redisUrl! });
    const b = await start({ REDIS_URL: redisUrl! });
    const key = { authorization: `Bearer ${demo.lookup.apiKey}` };
    const seen = [await lookupGet(a, '%2B390622224444', key), await lookupGet(b, '%2B390622224444', key), await lookupGet(a, '%2B390622224444', key)];
    expect(seen.map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await lookupGet(b, '%2B390622224444', key)).status).toBe(429);
  });
});
