import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthenticationError, CareOS } from '../src/index.js';
import { fakeClock } from './helpers/clock.js';
import { fastRetries } from './helpers/fixtures.js';
import { errorBody, json, startServer, type TestServer } from './helpers/server.js';

const staff = { staffEmail: 'admin@example.com', staffPassword: 'correct horse' };
const expired = () => errorBody('Token expired', 'TOKEN_EXPIRED');

let server: TestServer;
let client: CareOS | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
});

/** A server that issues tokens `tok1`, `tok2`, ... and decides per request which tokens it accepts. */
async function authServer(accepts: (token: string, index: number) => boolean, loginDelay = 0) {
  let issued = 0;
  server = await startServer((req, res, index) => {
    if (req.url === '/auth/login') {
      const token = `tok${++issued}`;
      setTimeout(() => json(res, 200, { access_token: token, token_type: 'bearer', expires_in: 3600, user: {} }), loginDelay);
      return;
    }
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!accepts(token, index)) return json(res, 401, expired());
    json(res, 200, { partners: [] });
  });
  return server;
}

const logins = () => server.requests.filter((r) => r.url === '/auth/login').length;
const calls = () => server.requests.filter((r) => r.url !== '/auth/login');

describe('staff token', () => {
  it('logs in once for 100 concurrent calls', async () => {
    await authServer(() => true, 30);
    client = new CareOS({ ...fastRetries, ...staff, baseURL: server.url });
    await Promise.all(Array.from({ length: 100 }, () => client?.admin.partners.list()));
    expect(logins()).toBe(1);
    expect(calls()).toHaveLength(100);
    expect(new Set(calls().map((r) => r.headers.authorization))).toEqual(new Set(['Bearer tok1']));
  });

  it('reuses a fresh token across calls', async () => {
    await authServer(() => true);
    client = new CareOS({ ...fastRetries, ...staff, baseURL: server.url });
    await client.admin.partners.list();
    await client.admin.partners.list();
    expect(logins()).toBe(1);
  });

  it('refreshes early, before each call, once less than a minute is left', async () => {
    await authServer(() => true);
    const clock = fakeClock();
    client = new CareOS({ ...fastRetries, ...staff, baseURL: server.url });
    await client.admin.partners.list();
    clock.age(3_570_000); // 30 s left of the hour
    await client.admin.partners.list();
    expect(logins()).toBe(2);
    expect(calls().map((r) => r.headers.authorization)).toEqual(['Bearer tok1', 'Bearer tok2']);
  });

  it('refreshes in the background when the token is getting old, without delaying the call', async () => {
    await authServer(() => true);
    const clock = fakeClock();
    client = new CareOS({ ...fastRetries, ...staff, baseURL: server.url });
    await client.admin.partners.list(); // logs in (blocking): tok1
    clock.age(3_400_000); // 200 s left is inside the 5-minute background window: this call goes out with tok1 while a new login runs
    await client.admin.partners.list();
    expect(calls().map((r) => r.headers.authorization)).toEqual(['Bearer tok1', 'Bearer tok1']);
    await vi.waitFor(async () => {
      await client?.admin.partners.list();
      expect(calls().at(-1)?.headers.authorization).toBe('Bearer tok2');
    });
    // tok2 is fresh for an hour: no further login.
    expect(logins()).toBe(2);
  });

  it('on 401 TOKEN_EXPIRED refreshes once and replays once', async () => {
    await authServer((token) => token !== 'tok1');
    client = new CareOS({ ...fastRetries, ...staff, baseURL: server.url });
    await expect(client.admin.partners.list()).resolves.toEqual({ partners: [] });
    expect(logins()).toBe(2);
    expect(calls().map((r) => r.headers.authorization)).toEqual(['Bearer tok1', 'Bearer tok2']);
  });

  it('one refresh serves many calls that all saw the token expire', async () => {
    await authServer((token) => token !== 'tok1');
    client = new CareOS({ ...fastRetries, ...staff, baseURL: server.url });
    await Promise.all(Array.from({ length: 20 }, () => client?.admin.partners.list()));
    expect(logins()).toBe(2);
    expect(calls().filter((r) => r.headers.authorization === 'Bearer tok2')).toHaveLength(20);
  });

  it('does not loop when the fresh token is refused too', async () => {
    await authServer(() => false);
    client = new CareOS({ ...fastRetries, ...staff, baseURL: server.url });
    const error = (await client.admin.partners.list().catch((e: unknown) => e)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe('TOKEN_EXPIRED');
    expect(logins()).toBe(2);
    expect(calls()).toHaveLength(2);
  });

  it('a plain 401 is not a reason to log in again', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/auth/login') return json(res, 200, { access_token: 'tok', token_type: 'bearer', expires_in: 3600, user: {} });
      json(res, 401, errorBody('Not authenticated', 'AUTH_FAILED'));
    });
    client = new CareOS({ ...fastRetries, ...staff, baseURL: server.url });
    await expect(client.admin.partners.list()).rejects.toBeInstanceOf(AuthenticationError);
    expect(logins()).toBe(1);
  });

  it('a wrong password surfaces as the login’s AuthenticationError', async () => {
    server = await startServer((_req, res) => json(res, 401, errorBody('Incorrect email or password', 'AUTH_FAILED')));
    client = new CareOS({ ...fastRetries, ...staff, baseURL: server.url });
    const error = (await client.admin.partners.list().catch((e: unknown) => e)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.error).toBe('Incorrect email or password');
    expect(server.requests.map((r) => r.url)).toEqual(['/auth/login']);
  });

  it('uses a given staffToken as is, and throws its expiry when it cannot refresh', async () => {
    await authServer((token) => token === 'given');
    client = new CareOS({ ...fastRetries, staffToken: 'given', baseURL: server.url });
    await client.admin.partners.list();
    expect(calls()[0]?.headers.authorization).toBe('Bearer given');
    await client.close();

    await server.close();
    await authServer(() => false);
    client = new CareOS({ ...fastRetries, staffToken: 'given', baseURL: server.url });
    await expect(client.admin.partners.list()).rejects.toBeInstanceOf(AuthenticationError);
    expect(logins()).toBe(0);
  });

  it('starts from a given staffToken and refreshes it with the credentials once it expires', async () => {
    await authServer((token) => token !== 'given');
    client = new CareOS({ ...fastRetries, ...staff, staffToken: 'given', baseURL: server.url });
    await client.admin.partners.list();
    expect(calls().map((r) => r.headers.authorization)).toEqual(['Bearer given', 'Bearer tok1']);
  });

  it('auth.login returns the token without touching the client’s own', async () => {
    await authServer(() => true);
    client = new CareOS({ ...fastRetries, baseURL: server.url });
    const result = await client.auth.login({ email: 'someone@example.com', password: 'pw' });
    expect(result.access_token).toBe('tok1');
    await expect(client.admin.partners.list()).rejects.toThrow(/needs staff credentials/);
  });

  it('renews with the session’s refresh token, and logs in again when the refresh token is refused', async () => {
    let issued = 0;
    let refusals = 0;
    server = await startServer((req, res) => {
      const session = () => ({ access_token: `tok${++issued}`, token_type: 'bearer', expires_in: 900, refresh_token: `rt${issued}`, refresh_expires_in: 86_400, user: {} });
      if (req.url === '/auth/login') return json(res, 200, session());
      if (req.url === '/auth/refresh') {
        if (refusals > 0) {
          refusals--;
          return json(res, 401, errorBody('Invalid refresh token', 'REFRESH_TOKEN_REUSED'));
        }
        return json(res, 200, session());
      }
      json(res, 200, { partners: [] });
    });
    const clock = fakeClock();
    client = new CareOS({ ...fastRetries, ...staff, baseURL: server.url });
    await client.admin.partners.list(); // login: tok1, rt1
    clock.age(870_000);
    await client.admin.partners.list(); // refresh with rt1: tok2, rt2
    refusals = 1;
    clock.age(870_000);
    await client.admin.partners.list(); // rt2 refused: login again, tok3
    const auth = server.requests.filter((r) => r.url.startsWith('/auth/'));
    expect(auth.map((r) => `${r.url} ${r.body}`)).toEqual([
      `/auth/login ${JSON.stringify({ email: staff.staffEmail, password: staff.staffPassword })}`,
      '/auth/refresh {"refresh_token":"rt1"}',
      '/auth/refresh {"refresh_token":"rt2"}',
      `/auth/login ${JSON.stringify({ email: staff.staffEmail, password: staff.staffPassword })}`,
    ]);
    const api = server.requests.filter((r) => !r.url.startsWith('/auth/'));
    expect(api.map((r) => r.headers.authorization)).toEqual(['Bearer tok1', 'Bearer tok2', 'Bearer tok3']);
  });
});
