import { randomBytes } from 'node:crypto';
import { ReadinessResponse } from '@careos/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partnerHeaders, startApp, testEnv, type PartnerFixture, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { query } from './helpers/db.js';
import { call, type TestResponse } from './helpers/http.js';
import { INTEGRATION_ADMIN } from './helpers/integration.js';
import { generateTestKeys } from './helpers/keys.js';
import { TcpProxy } from './helpers/tcp-proxy.js';

const keys = generateTestKeys();
const LIMITED: PartnerFixture = { platform: 'limited', apiKey: 'limited_test_Rk2Lp9Qz4Mx7Nv1Bc6Ht3Wy8', salt: 'limited-salt-5511' };
const LIMIT = 10;
const redisUrl = process.env.REDIS_URL;
if (!redisUrl) console.info('[server-reference tests] REDIS_URL is not set: the Redis failover tests are skipped.');

const payments = (server: TestApp): Promise<TestResponse> => call(server.url, 'GET', '/api/partner/payments', { headers: partnerHeaders(LIMITED) });
const login = (server: TestApp, password: string): Promise<TestResponse> =>
  call(server.url, 'POST', '/auth/login', { json: { email: INTEGRATION_ADMIN.CAREOS_ADMIN_EMAIL, password } });

async function readiness(server: TestApp): Promise<ReadinessResponse> {
  const res = await call(server.url, 'GET', '/health/ready');
  expect(res.status).toBe(200);
  return ReadinessResponse.parse(res.body);
}

/** Polls `/health/ready` until the instance reports `store` (Redis reconnects on its own schedule). */
async function waitForStore(server: TestApp, store: ReadinessResponse['rate_limits']['store']): Promise<ReadinessResponse> {
  let ready = await readiness(server);
  for (let tries = 0; tries < 60 && ready.rate_limits.store !== store; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    ready = await readiness(server);
  }
  return ready;
}

describe.each(backendNames())('rate limits when Redis fails (%s)', (backendName) => {
  let backend: TestBackend;
  let proxy: TcpProxy;
  const servers: TestApp[] = [];
  // Keys of this run only: the shared Redis keeps other runs' counts.
  const prefix = `careos-test:${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    if (!redisUrl) return;
    backend = await createBackend(backendName);
    const target = new URL(redisUrl);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6379) });
    const env = testEnv({
      keys,
      partners: [LIMITED],
      extra: {
        ...INTEGRATION_ADMIN,
        REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
        CAREOS_RATE_LIMIT_PREFIX: prefix,
        CAREOS_RATE_LIMIT_LEADS: String(LIMIT),
      },
    });
    // Two instances, each with its own connection(s) to the one database (PGlite: the one embedded database).
    for (let i = 0; i < 2; i++) servers.push(await startApp({ db: await backend.open(), env }));
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await proxy?.close();
    await backend?.dispose();
  });

  it.skipIf(!redisUrl)('admits at most the limit across two instances when Redis is cut mid-run, and Redis takes the counts back', async () => {
    const [a, b] = servers as [TestApp, TestApp];
    const alternate = (i: number) => (i % 2 === 0 ? a : b);
    for (const server of servers) expect((await readiness(server)).rate_limits).toEqual({ store: 'redis', fallback: false, exact: true });

    // Through Redis: one count shared by both instances.
    const before: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await payments(alternate(i));
      expect(res.status).toBe(200);
      before.push(res.headers['x-ratelimit-remaining']!);
    }
    expect(before).toEqual(['9', '8', '7', '6']);
    for (let i = 0; i < 6; i++) expect((await login(alternate(i), 'wrong password')).status).toBe(401);

    await proxy.cut();
    for (const server of servers) expect((await waitForStore(server, 'database')).rate_limits).toEqual({ store: 'database', fallback: true, exact: true });

    // Through the database, starting from the counts last seen in Redis.
    let admitted = 4;
    for (let i = 0; i < 16; i++) if ((await payments(alternate(i))).status === 200) admitted++;
    expect(admitted).toBeLessThanOrEqual(LIMIT);
    expect(admitted).toBe(LIMIT);

    const logins: number[] = [];
    for (let i = 0; i < 24; i++) logins.push((await login(alternate(i), 'wrong password')).status);
    expect(logins).toEqual([...Array<number>(4).fill(401), ...Array<number>(20).fill(429)]);
    expect((await login(a, INTEGRATION_ADMIN.CAREOS_ADMIN_PASSWORD)).status).toBe(429);

    // The shared table holds hashed account keys, never the email.
    const rows = await query<{ key: string }>(await backend.open(), `select key from rate_limit_counters where key like '${prefix}:%'`);
    expect(rows.some((r) => r.key.startsWith(`${prefix}:leads:`))).toBe(true);
    expect(rows.some((r) => r.key.startsWith(`${prefix}:login-account:`))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('ops@');

    // Redis back: the outage's counts are raised into it, so the budget stays spent there too.
    await proxy.restore();
    for (const server of servers) expect((await waitForStore(server, 'redis')).rate_limits).toEqual({ store: 'redis', fallback: false, exact: true });
    for (const server of servers) {
      const res = await payments(server);
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    expect((await login(b, INTEGRATION_ADMIN.CAREOS_ADMIN_PASSWORD)).status).toBe(429);
  });
});
