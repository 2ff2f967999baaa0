import { RateLimitedEnvelope } from '@careos/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { BUSINESSOS, partnerHeaders, startApp, testEnv, type PartnerFixture, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';
import { leadBody } from './helpers/leads.js';

const keys = generateTestKeys();
const LIMITED: PartnerFixture = { platform: 'limited', apiKey: 'limited_test_Rk2Lp9Qz4Mx7Nv1Bc6Ht3Wy8', salt: 'limited-salt-5511' };
const redisUrl = process.env.REDIS_URL;
if (!redisUrl) console.info('[server-reference tests] REDIS_URL is not set: the shared Redis rate-limit test is skipped.');

const payments = (server: TestApp, partner: PartnerFixture = LIMITED) =>
  call(server.url, 'GET', '/api/partner/payments', { headers: partnerHeaders(partner) });

describe.each(backendNames())('rate limits (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  const started: TestApp[] = [];
  const start = async (extra: Record<string, string>) => {
    const server = await startApp({ db, env: testEnv({ keys, partners: [BUSINESSOS, LIMITED], extra: { CAREOS_RATE_LIMIT_LEADS: '3', ...extra } }) });
    started.push(server);
    return server;
  };

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
  });
  afterAll(async () => {
    for (const server of started) await server.close();
    await backend?.dispose();
  });

  it('counts per partner in memory, sets the headers on every response, and answers 429 with Retry-After', async () => {
    const server = await start({});
    for (const remaining of [2, 1, 0]) {
      const res = await payments(server);
      expect(res.status).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe('3');
      expect(res.headers['x-ratelimit-remaining']).toBe(String(remaining));
      const reset = Date.parse(res.headers['x-ratelimit-reset']!);
      expect(res.headers['x-ratelimit-reset']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(reset).toBeGreaterThan(Date.now() - 1000);
      expect(reset).toBeLessThanOrEqual(Date.now() + 61_000);
    }
    const limited = await call(server.url, 'POST', '/api/leads/ingest', { json: leadBody({ keys, partner: LIMITED }), headers: partnerHeaders(LIMITED) });
    expect(limited.status).toBe(429);
    expect(RateLimitedEnvelope.parse(limited.body)).toMatchObject({ error: 'Rate limit exceeded', code: 'RATE_LIMITED' });
    expect(limited.body.retryAfter).toBeGreaterThanOrEqual(1);
    expect(limited.body.retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers['retry-after']).toBe(String(limited.body.retryAfter));
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    // Another partner has its own budget.
    expect((await payments(server, BUSINESSOS)).status).toBe(200);
    // Unauthenticated requests are not counted against anyone (and carry no bucket headers).
    const anonymous = await call(server.url, 'GET', '/api/partner/payments', { headers: { 'x-api-key': 'nope', 'x-platform': 'limited' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('keeps separate counts per instance with the memory store, and says so in /health/ready', async () => {
    const a = await start({});
    const b = await start({});
    const ready = await call(a.url, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    // Exact only where one process is all there can be: the embedded database.
    expect(ready.body).toEqual({ status: 'ready', database: 'ok', rate_limits: { store: 'memory', fallback: false, exact: backendName === 'pglite' } });
    // Earlier tests may have used this partner's budget on other instances; these two start fresh.
    for (let i = 0; i < 3; i++) expect((await payments(a)).status).toBe(200);
    expect((await payments(b)).status).toBe(200);
  });

  it.skipIf(!redisUrl)('shares one exact count between two instances through Redis', async () => {
    const a = await start({ REDIS_URL: redisUrl! });
    const b = await start({ REDIS_URL: redisUrl! });
    const partner: PartnerFixture = { ...LIMITED };
    const seen = [await payments(a, partner), await payments(b, partner), await payments(a, partner)];
    expect(seen.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(seen.map((r) => r.headers['x-ratelimit-remaining'])).toEqual(['2', '1', '0']);
    const fourth = await payments(b, partner);
    expect(fourth.status).toBe(429);
  });

  it('counts in the shared database when Redis is unreachable', async () => {
    const server = await start({ REDIS_URL: 'redis://127.0.0.1:1', CAREOS_RATE_LIMIT_PREFIX: `unreachable-${Date.now()}` });
    expect((await call(server.url, 'GET', '/health/ready')).body.rate_limits).toEqual({ store: 'database', fallback: true, exact: true });
    for (let i = 0; i < 3; i++) expect((await payments(server)).status).toBe(200);
    const res = await payments(server);
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});
