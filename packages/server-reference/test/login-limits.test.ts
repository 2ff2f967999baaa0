import { RateLimitedEnvelope } from '@careos/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { query } from './helpers/db.js';
import { call, fromAddress, type TestResponse } from './helpers/http.js';
import { INTEGRATION_ADMIN, type IntegrationCredentials } from './helpers/integration.js';
import { generateTestKeys } from './helpers/keys.js';

const keys = generateTestKeys();
const PASSWORD = 'correct horse battery';
const WRONG = 'wrong password 123';

/** A login from a loopback source address (the server trusts no proxy header, only the socket). */
const login = (server: TestApp, email: string, password: string, address = '127.0.0.1'): Promise<TestResponse> =>
  call(server.url, 'POST', '/auth/login', { json: { email, password }, dispatcher: fromAddress(address) });

/** Asserts the DESIGN §4.6 refusal: 429, `Retry-After` in whole seconds, and the same figure in the body. */
function expectRefused(res: TestResponse, maxSeconds: number): void {
  expect(res.status).toBe(429);
  const body = RateLimitedEnvelope.parse(res.body);
  expect(body).toMatchObject({ error: 'Rate limit exceeded', code: 'RATE_LIMITED' });
  expect(res.headers['retry-after']).toBe(String(body.retryAfter));
  expect(body.retryAfter).toBeGreaterThanOrEqual(1);
  expect(body.retryAfter).toBeLessThanOrEqual(maxSeconds);
}

describe.each(backendNames())('brute-force limits (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  /** Same limits with a one-second window, to watch a refusal lift. */
  let quick: TestApp;
  let creds: IntegrationCredentials;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({
      db,
      env: testEnv({
        keys,
        extra: {
          ...INTEGRATION_ADMIN,
          CAREOS_LOGIN_MAX_ACCOUNT_FAILURES: '15',
          CAREOS_LOGIN_MAX_ATTEMPTS_PER_IP: '20',
          CAREOS_INTEGRATION_AUTH_MAX_FAILURES: '3',
          CAREOS_RATE_LIMIT_INTEGRATION: '1000',
        },
      }),
    });
    quick = await startApp({ db, env: testEnv({ keys, extra: { CAREOS_LOGIN_WINDOW: '1', CAREOS_LOGIN_MAX_FAILURES: '2' } }) });
    for (const name of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank']) {
      await server.app.services.staff.create({ email: `${name}@careos.test`, password: PASSWORD, name, role: 'staff' });
    }
    creds = (await server.app.seedDemo()).integration;
  });
  afterAll(async () => {
    await quick?.close();
    await server?.close();
    await backend?.dispose();
  });

  it('refuses the 11th of 30 wrong logins and every one after with 429 and Retry-After, the right password included', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await login(server, 'Alice@CareOS.test', WRONG);
      statuses.push(res.status);
      if (res.status === 401) expect(res.body).toMatchObject({ error: 'Incorrect email or password', code: 'AUTH_FAILED' });
      else expectRefused(res, 900);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(401), ...Array<number>(20).fill(429)]);
    // Counted before the password is checked: the right one is refused too, whatever the email's case or spacing.
    expectRefused(await login(server, ' alice@careos.test ', PASSWORD), 900);
    // Another account from another address is untouched.
    expect((await login(server, 'bob@careos.test', PASSWORD, '127.0.0.2')).status).toBe(200);
    // The account is only known to the limiter by a keyed hash.
    expect(server.logs.join('\n').toLowerCase()).not.toContain('alice@careos.test');
  });

  it('counts parallel guesses before checking them: 30 at once get exactly 10 password checks', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, () => login(server, 'frank@careos.test', WRONG, '127.0.0.13')));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array<number>(10).fill(401), ...Array<number>(20).fill(429)]);
  });

  it('limits failures per account across addresses, and a success clears the account’s count', async () => {
    // 15 failures spread over three addresses, none reaching its own limit of 10 …
    for (const address of ['127.0.0.4', '127.0.0.5', '127.0.0.6']) {
      for (let i = 0; i < 5; i++) expect((await login(server, 'carol@careos.test', WRONG, address)).status).toBe(401);
    }
    // … use up the account's 15: a fourth address with the right password is refused.
    expectRefused(await login(server, 'carol@careos.test', PASSWORD, '127.0.0.7'), 900);

    // Consecutive failures: nine, a success, nine more, all answered normally.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 9; i++) expect((await login(server, 'dave@careos.test', WRONG, '127.0.0.8')).status).toBe(401);
      expect((await login(server, 'dave@careos.test', PASSWORD, '127.0.0.8')).status).toBe(200);
    }
  });

  it('limits attempts per client address across accounts, unknown emails included', async () => {
    for (let i = 0; i < 20; i++) expect((await login(server, `nobody${i}@careos.test`, WRONG, '127.0.0.9')).status).toBe(401);
    expectRefused(await login(server, 'bob@careos.test', PASSWORD, '127.0.0.9'), 900);
    expect((await login(server, 'bob@careos.test', PASSWORD, '127.0.0.10')).status).toBe(200);
  });

  it('lifts the refusal when the window has passed', async () => {
    expect((await login(quick, 'erin@careos.test', WRONG, '127.0.0.11')).status).toBe(401);
    expect((await login(quick, 'erin@careos.test', WRONG, '127.0.0.11')).status).toBe(401);
    const refused = await login(quick, 'erin@careos.test', PASSWORD, '127.0.0.11');
    expectRefused(refused, 1);
    // Retry-After is one second; try again after it (attempts made during a refusal do not prolong it).
    let res = refused;
    for (let tries = 0; tries < 20 && res.status === 429; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      res = await login(quick, 'erin@careos.test', PASSWORD, '127.0.0.11');
    }
    expect(res.status).toBe(200);
  });

  it('limits consecutive wrong secrets per integration API key, audits the 429, and a success clears the count', async () => {
    const auth = (apiKey: string, apiSecret: string) => call(server.url, 'POST', '/api/integration/auth', { json: { apiKey, apiSecret, therapistId: creds.therapistId } });
    for (let i = 0; i < 3; i++) expect((await auth(creds.apiKey, 'sk_test_wrong')).body.error).toBe('Invalid API secret');
    const refused = await auth(creds.apiKey, creds.apiSecret);
    expectRefused(refused, 900);

    // The refusal goes through the normal error path: the route's audit row records it.
    await server.app.flush();
    const [row] = await query<{ status: number; partner_id: string }>(db, `select status, partner_id from audit_log where request_id = '${refused.headers['x-request-id']}'`);
    expect(row).toMatchObject({ status: 429, partner_id: creds.partnerId });

    // Another partner's key is untouched, keeps its per-minute budget headers, and its successes clear its failures.
    const admin = await login(server, INTEGRATION_ADMIN.CAREOS_ADMIN_EMAIL, INTEGRATION_ADMIN.CAREOS_ADMIN_PASSWORD, '127.0.0.12');
    const created = await call(server.url, 'POST', '/admin/integration/partners', {
      headers: { authorization: `Bearer ${admin.body.access_token}` },
      json: { name: 'Other Co', environment: 'test' },
    });
    expect(created.status).toBe(201);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 2; i++) expect((await auth(created.body.api_key, 'sk_test_wrong')).status).toBe(401);
      const ok = await auth(created.body.api_key, created.body.api_secret);
      expect(ok.status).toBe(200);
      expect(ok.headers['x-ratelimit-limit']).toBe('1000');
    }
  });
});
