import { ErrorEnvelope, fillPath, IntegrationAuthResponse, RateLimitedEnvelope, routeList, type RouteSpec } from '@careos/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { ManualClock } from './helpers/clock.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { adminHeaders, INTEGRATION_ADMIN, integrationToken, withToken, type IntegrationCredentials } from './helpers/integration.js';
import { generateTestKeys } from './helpers/keys.js';

const keys = generateTestKeys();
const AUTH = '/api/integration/auth';

describe.each(backendNames())('integration authentication (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let creds: IntegrationCredentials;
  let admin: Record<string, string>;
  const clock = new ManualClock();

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, clock, env: testEnv({ keys, extra: { ...INTEGRATION_ADMIN, CAREOS_RATE_LIMIT_INTEGRATION: '100000' } }) });
    creds = (await server.app.seedDemo()).integration;
    admin = await adminHeaders(server);
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  const auth = (body: unknown) => call(server.url, 'POST', AUTH, { json: body });

  it('issues a one-hour Bearer token for the seed’s request shape', async () => {
    const res = await auth({ apiKey: creds.apiKey, apiSecret: creds.apiSecret, therapistId: creds.therapistId });
    expect(res.status).toBe(200);
    expect(IntegrationAuthResponse.parse(res.body)).toMatchObject({ expiresIn: 3600, tokenType: 'Bearer' });
    const [, payload] = res.body.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims).toMatchObject({ sub: creds.therapistId, partner_id: creds.partnerId, aud: 'careos-integration' });
    expect(claims.exp - claims.iat).toBe(3600);
    expect(res.headers['x-ratelimit-limit']).toBe('100000');
  });

  it('answers the seed’s documented errors with their exact strings', async () => {
    const cases: [unknown, number, string, string][] = [
      [{ therapistId: creds.therapistId }, 400, 'apiKey and apiSecret are required', 'VALIDATION_FAILED'],
      [{ apiKey: creds.apiKey, therapistId: creds.therapistId }, 400, 'apiKey and apiSecret are required', 'VALIDATION_FAILED'],
      // Credentials are checked before anything else, as in the seed: a missing therapist too changes nothing.
      [{ apiSecret: creds.apiSecret }, 400, 'apiKey and apiSecret are required', 'VALIDATION_FAILED'],
      [{}, 400, 'apiKey and apiSecret are required', 'VALIDATION_FAILED'],
      [{ apiKey: creds.apiKey, apiSecret: creds.apiSecret }, 400, 'Missing required fields: therapistId', 'VALIDATION_FAILED'],
      [{ apiKey: 'int_live_nope', apiSecret: creds.apiSecret, therapistId: creds.therapistId }, 401, 'Invalid API key', 'AUTH_FAILED'],
      [{ apiKey: creds.apiKey, apiSecret: 'sk_test_wrong', therapistId: creds.therapistId }, 401, 'Invalid API secret', 'AUTH_FAILED'],
      [{ apiKey: creds.apiKey, apiSecret: creds.apiSecret, therapistId: 'thr_unknown' }, 404, 'Therapist not found or inactive', 'NOT_FOUND'],
    ];
    for (const [body, status, error, code] of cases) {
      const res = await auth(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body).toMatchObject({ error, code });
      expect(ErrorEnvelope.safeParse(res.body).success).toBe(true);
    }
  });

  it('refuses missing, malformed and staff tokens, and an expired one with TOKEN_EXPIRED', async () => {
    for (const headers of [{}, { authorization: 'Bearer nonsense' }, { authorization: `Bearer ${(await call(server.url, 'POST', '/auth/login', { json: { email: INTEGRATION_ADMIN.CAREOS_ADMIN_EMAIL, password: INTEGRATION_ADMIN.CAREOS_ADMIN_PASSWORD } })).body.access_token}` }] as Record<string, string>[]) {
      const res = await call(server.url, 'GET', '/api/integration/clients', { headers });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: 'Invalid integration token', code: 'AUTH_FAILED' });
    }
    const token = await integrationToken(server, creds);
    const api = withToken(server, token);
    expect((await api('GET', '/api/integration/clients')).status).toBe(200);
    clock.advance(3601 * 1000);
    try {
      const expired = await api('GET', '/api/integration/clients');
      expect(expired.status).toBe(401);
      expect(expired.body).toMatchObject({ error: 'Token expired', code: 'TOKEN_EXPIRED' });
    } finally {
      clock.advance(-3601 * 1000);
    }
  });

  it('guards every integration-token route of the table, and audits each refusal', async () => {
    const guarded = (routeList as readonly RouteSpec[]).filter((r) => r.auth === 'integrationJwt');
    expect(guarded.length).toBeGreaterThanOrEqual(7);
    const requestIds: string[] = [];
    for (const route of guarded) {
      const path = fillPath(route.path, Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, creds.clients.full])));
      const res = await call(server.url, route.method, path, route.method === 'GET' ? {} : { json: {} });
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
      expect(res.body).toMatchObject({ error: 'Invalid integration token', code: 'AUTH_FAILED' });
      requestIds.push(res.headers['x-request-id']!);
    }
    await server.app.flush();
    const rows = await query<{ request_id: string; status: number }>(db, `select request_id, status from audit_log where request_id in (${requestIds.map((id) => `'${id}'`).join(',')})`);
    expect(rows.map((r) => r.request_id).sort()).toEqual([...requestIds].sort());
    // The admin side of the integration API is for admins only.
    await server.app.services.staff.create({ email: 'nurse@careos.test', password: 'staff password 1', name: 'Nurse', role: 'staff' });
    const staff = await call(server.url, 'POST', '/auth/login', { json: { email: 'nurse@careos.test', password: 'staff password 1' } });
    for (const route of (routeList as readonly RouteSpec[]).filter((r) => r.path.startsWith('/admin/integration/'))) {
      const path = fillPath(route.path, Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, 'x'])));
      const res = await call(server.url, route.method, path, { headers: { authorization: `Bearer ${staff.body.access_token}` }, ...(route.method === 'GET' ? {} : { json: {} }) });
      expect(res.status, `${route.method} ${route.path}`).toBe(403);
    }
  });

  it('stops a suspended partner on its very next request, and lets it back in when reactivated', async () => {
    const api = withToken(server, await integrationToken(server, creds));
    expect((await api('GET', '/api/integration/outcomes')).status).toBe(200);
    const suspend = await call(server.url, 'PATCH', `/admin/integration/partners/${creds.partnerId}`, { headers: admin, json: { status: 'suspended' } });
    expect(suspend.status).toBe(200);
    expect(suspend.body.partner.status).toBe('suspended');
    try {
      const res = await api('GET', '/api/integration/outcomes');
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: 'Integration access revoked', code: 'AUTH_FAILED' });
      expect((await auth({ apiKey: creds.apiKey, apiSecret: creds.apiSecret, therapistId: creds.therapistId })).body.error).toBe('Invalid API key');
    } finally {
      await call(server.url, 'PATCH', `/admin/integration/partners/${creds.partnerId}`, { headers: admin, json: { status: 'active' } });
    }
    expect((await api('GET', '/api/integration/outcomes')).status).toBe(200);
  });

  it('stops tokens of a deactivated therapist at once', async () => {
    const api = withToken(server, await integrationToken(server, creds));
    await call(server.url, 'PATCH', `/admin/integration/therapists/${creds.therapistId}`, { headers: admin, json: { active: false } });
    try {
      const res = await api('GET', '/api/integration/clients');
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: 'Therapist not found or inactive', code: 'AUTH_FAILED' });
      expect((await auth({ apiKey: creds.apiKey, apiSecret: creds.apiSecret, therapistId: creds.therapistId })).status).toBe(404);
    } finally {
      await call(server.url, 'PATCH', `/admin/integration/therapists/${creds.therapistId}`, { headers: admin, json: { active: true } });
    }
  });

  it('enforces the IP allowlist on tokens and on authentication (exact addresses and CIDR ranges)', async () => {
    const api = withToken(server, await integrationToken(server, creds));
    const setList = (ip_allowlist: string[]) => call(server.url, 'PATCH', `/admin/integration/partners/${creds.partnerId}`, { headers: admin, json: { ip_allowlist } });
    expect((await setList(['203.0.113.7', '198.51.100.0/24'])).status).toBe(200);
    try {
      const blocked = await api('GET', '/api/integration/clients');
      expect(blocked.status).toBe(403);
      expect(blocked.body).toMatchObject({ error: 'IP address not allowed', code: 'FORBIDDEN' });
      expect((await auth({ apiKey: creds.apiKey, apiSecret: creds.apiSecret, therapistId: creds.therapistId })).status).toBe(403);
      expect((await setList(['203.0.113.7', '127.0.0.0/8', '::1'])).status).toBe(200);
      expect((await api('GET', '/api/integration/clients')).status).toBe(200);
      expect((await setList(['not-an-ip'])).status).toBe(400);
    } finally {
      await setList([]);
    }
  });

  it('rotates keys: with revoke_existing, old keys and their tokens stop working; the secret is shown once', async () => {
    const created = await call(server.url, 'POST', '/admin/integration/partners', { headers: admin, json: { name: 'Rotation Co', environment: 'test' } });
    expect(created.status).toBe(201);
    expect(created.body.api_key).toMatch(/^int_test_[0-9A-Za-z]{32}$/);
    expect(created.body.api_secret).toMatch(/^sk_test_[0-9A-Za-z]{40}$/);
    const first = { apiKey: created.body.api_key, apiSecret: created.body.api_secret, therapistId: creds.therapistId };
    const oldApi = withToken(server, await integrationToken(server, first));
    const rotated = await call(server.url, 'POST', `/admin/integration/partners/${created.body.partner.id}/keys`, { headers: admin, json: { revoke_existing: true } });
    expect(rotated.status).toBe(201);
    expect((await oldApi('GET', '/api/integration/clients')).body.error).toBe('Integration access revoked');
    expect((await auth(first)).body.error).toBe('Invalid API key');
    expect((await auth({ apiKey: rotated.body.api_key, apiSecret: rotated.body.api_secret, therapistId: creds.therapistId })).status).toBe(200);
    const listed = await call(server.url, 'GET', '/admin/integration/partners', { headers: admin });
    const partner = listed.body.partners.find((p: { id: string }) => p.id === created.body.partner.id);
    expect(partner.api_keys).toHaveLength(2);
    expect(JSON.stringify(listed.body)).not.toContain(rotated.body.api_secret);
    const [stored] = await query<{ secret_hash: string }>(db, `select secret_hash from integration_api_keys where id = '${rotated.body.key.id}'`);
    expect(stored!.secret_hash).toMatch(/^\$argon2id\$/);
  });

  it('writes an audit row for every integration call, failures included, with ids and never PHI', async () => {
    const api = withToken(server, await integrationToken(server, creds));
    const ok = await api('GET', `/api/integration/clients/${creds.clients.full}/progress`);
    const refused = await api('GET', `/api/integration/clients/${creds.clients.noConsent}/progress`);
    const anonymous = await call(server.url, 'GET', '/api/integration/alerts');
    const badSecret = await auth({ apiKey: creds.apiKey, apiSecret: 'sk_test_wrong', therapistId: creds.therapistId });
    await server.app.flush();
    const rows = await query<Record<string, unknown>>(
      db,
      `select * from audit_log where request_id in ('${ok.headers['x-request-id']}', '${refused.headers['x-request-id']}', '${anonymous.headers['x-request-id']}', '${badSecret.headers['x-request-id']}') order by id`,
    );
    const byRequest = new Map(rows.map((r) => [r.request_id, r]));
    expect(byRequest.get(ok.headers['x-request-id']!)).toMatchObject({
      actor_type: 'integration',
      partner_id: creds.partnerId,
      on_behalf_of: creds.therapistId,
      method: 'GET',
      route: '/api/integration/clients/{clientId}/progress',
      subject_type: 'client',
      subject_id: creds.clients.full,
      status: 200,
      ip: expect.stringMatching(/127\.0\.0\.1|::1/),
    });
    expect(byRequest.get(refused.headers['x-request-id']!)).toMatchObject({ status: 403, subject_id: creds.clients.noConsent, partner_id: creds.partnerId });
    expect(byRequest.get(anonymous.headers['x-request-id']!)).toMatchObject({ status: 401, actor_type: 'anonymous' });
    expect(byRequest.get(badSecret.headers['x-request-id']!)).toMatchObject({ status: 401, actor_type: 'integration', partner_id: creds.partnerId, route: '/api/integration/auth' });
    // Ids and metadata only: no names, journal text or secrets.
    const text = JSON.stringify(rows);
    for (const phi of ['John', 'Doe', creds.apiSecret, 'journal']) expect(text).not.toContain(phi);
  });
});

describe.each(backendNames())('integration rate limits (%s)', (backendName) => {
  let backend: TestBackend;
  let server: TestApp;
  let creds: IntegrationCredentials;
  let admin: Record<string, string>;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    // Shared Redis counters when REDIS_URL is set, as several instances would use them.
    server = await startApp({ db: await backend.open(), env: testEnv({ keys, extra: { ...INTEGRATION_ADMIN, CAREOS_RATE_LIMIT_INTEGRATION: '6', REDIS_URL: process.env.REDIS_URL } }) });
    creds = (await server.app.seedDemo()).integration;
    admin = await adminHeaders(server);
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  it('counts per API key (authentication included) and answers 429 with the seed’s body and headers', async () => {
    const api = withToken(server, await integrationToken(server, creds));
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 6; i++) {
      last = await api('GET', '/api/integration/alerts');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last!.headers['x-ratelimit-limit']).toBe('6');
    expect(last!.headers['x-ratelimit-remaining']).toBe('0');
    expect(Date.parse(last!.headers['x-ratelimit-reset']!)).toBeGreaterThan(Date.now());
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    const body = RateLimitedEnvelope.parse(last!.body);
    expect(body).toMatchObject({ error: 'Rate limit exceeded', code: 'RATE_LIMITED' });
    expect(body.retryAfter).toBe(Number(last!.headers['retry-after']));
    // Authentication spends the same key's budget.
    const authAgain = await call(server.url, 'POST', '/api/integration/auth', { json: { apiKey: creds.apiKey, apiSecret: creds.apiSecret, therapistId: creds.therapistId } });
    expect(authAgain.status).toBe(429);
  });

  it('applies a partner’s custom limit per minute to each of its keys', async () => {
    const created = await call(server.url, 'POST', '/admin/integration/partners', { headers: admin, json: { name: 'Custom Limit Co', rate_limit_per_minute: 3 } });
    expect(created.status).toBe(201);
    expect(created.body.partner.rate_limit_per_minute).toBe(3);
    const token = await integrationToken(server, { apiKey: created.body.api_key, apiSecret: created.body.api_secret, therapistId: creds.therapistId });
    const api = withToken(server, token);
    const first = await api('GET', '/api/integration/clients');
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-limit']).toBe('3');
    expect(first.headers['x-ratelimit-remaining']).toBe('1');
    expect((await api('GET', '/api/integration/clients')).status).toBe(200);
    expect((await api('GET', '/api/integration/clients')).status).toBe(429);
    // Raising the limit applies to the next request.
    await call(server.url, 'PATCH', `/admin/integration/partners/${created.body.partner.id}`, { headers: admin, json: { rate_limit_per_minute: 50 } });
    const raised = await api('GET', '/api/integration/clients');
    expect(raised.status).toBe(200);
    expect(raised.headers['x-ratelimit-limit']).toBe('50');
  });
});

describe('integration token lifetime from CAREOS_INTEGRATION_TOKEN_TTL', () => {
  let backend: TestBackend;
  let server: TestApp;
  let creds: IntegrationCredentials;
  const clock = new ManualClock();

  beforeAll(async () => {
    backend = await createBackend('pglite');
    server = await startApp({ db: await backend.open(), clock, env: testEnv({ keys, extra: { ...INTEGRATION_ADMIN, CAREOS_INTEGRATION_TOKEN_TTL: '120' } }) });
    creds = (await server.app.seedDemo()).integration;
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  it('issues tokens that say and keep the configured lifetime', async () => {
    const res = await call(server.url, 'POST', AUTH, { json: { apiKey: creds.apiKey, apiSecret: creds.apiSecret, therapistId: creds.therapistId } });
    expect(res.body).toMatchObject({ expiresIn: 120, tokenType: 'Bearer' });
    const api = withToken(server, res.body.token);
    clock.advance(119 * 1000);
    expect((await api('GET', '/api/integration/clients')).status).toBe(200);
    clock.advance(2 * 1000);
    expect((await api('GET', '/api/integration/clients')).body).toMatchObject({ code: 'TOKEN_EXPIRED' });
  });
});
