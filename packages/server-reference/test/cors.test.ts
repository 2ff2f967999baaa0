// CORS from ALLOWED_ORIGINS: an allowed origin is echoed (never `*` with credentials: credentials
// are never allowed), a preflight is answered 204 with methods and the asked-for headers, even an
// error is readable by the page; other origins get no CORS header, and neither does anyone when
// the variable is unset (OPTIONS then keeps its 404). A malformed origin stops the start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Database } from '../src/index.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { createBackend, type TestBackend } from './helpers/backends.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';

const keys = generateTestKeys();
const APP = 'https://app.careops.example';

describe('CORS', () => {
  let backend: TestBackend;
  let db: Database;
  let open: TestApp;
  let closed: TestApp;

  beforeAll(async () => {
    backend = await createBackend('pglite');
    db = await backend.open();
    open = await startApp({ db, env: testEnv({ keys, extra: { ALLOWED_ORIGINS: ` ${APP}/, http://localhost:5173 ` } }) });
    closed = await startApp({ db, env: testEnv({ keys }) });
  });
  afterAll(async () => {
    await open?.close();
    await closed?.close();
    await backend?.dispose();
  });

  const preflight = (server: TestApp, origin: string, headers = 'authorization,content-type,idempotency-key') =>
    call(server.url, 'OPTIONS', '/dashboard', { headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': headers } });

  it('answers the preflight of an allowed origin with 204, its methods and the headers asked for', async () => {
    const res = await preflight(open, APP);
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(res.headers['access-control-allow-methods']).toBe('GET, POST, PUT, PATCH, DELETE');
    expect(res.headers['access-control-allow-headers']).toBe('authorization,content-type,idempotency-key');
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers.vary).toMatch(/Origin/);
    expect((await preflight(open, 'http://localhost:5173')).headers['access-control-allow-origin']).toBe('http://localhost:5173');
  });

  it('lets an allowed page read answers, errors included, and the headers it needs', async () => {
    const health = await call(open.url, 'GET', '/health', { headers: { origin: APP } });
    expect(health.status).toBe(200);
    expect(health.headers['access-control-allow-origin']).toBe(APP);
    expect(health.headers['access-control-expose-headers']).toContain('X-Request-Id');
    expect(health.headers['access-control-allow-credentials']).toBeUndefined();
    const refused = await call(open.url, 'GET', '/dashboard', { headers: { origin: APP } });
    expect(refused.status).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe(APP);
  });

  it('gives other origins, and requests without an origin, no CORS header', async () => {
    for (const origin of ['https://evil.example', 'https://app.careops.example.evil.example', 'null']) {
      const res = await preflight(open, origin);
      expect(res.status, origin).toBe(404);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const get = await call(open.url, 'GET', '/health', { headers: { origin } });
      expect(get.headers['access-control-allow-origin']).toBeUndefined();
    }
    expect((await call(open.url, 'GET', '/health')).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends no CORS header at all when ALLOWED_ORIGINS is unset', async () => {
    const res = await preflight(closed, APP);
    expect(res.status).toBe(404);
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const get = await call(closed.url, 'GET', '/health', { headers: { origin: APP } });
    expect(Object.keys(get.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('answers * for any origin only when the list says *, still without credentials', async () => {
    const any = await startApp({ db, env: testEnv({ keys, extra: { ALLOWED_ORIGINS: '*' } }) });
    try {
      const res = await preflight(any, 'https://anyone.example');
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    } finally {
      await any.close();
    }
  });

  it('refuses to start on an entry that is not an origin', () => {
    expect(() => loadConfig(testEnv({ keys, extra: { ALLOWED_ORIGINS: 'https://ok.example,app.example.com' } }))).toThrow(/ALLOWED_ORIGINS: "app.example.com"/);
    expect(() => loadConfig(testEnv({ keys, extra: { ALLOWED_ORIGINS: 'https://ok.example/path' } }))).toThrow(/ALLOWED_ORIGINS/);
  });
});
