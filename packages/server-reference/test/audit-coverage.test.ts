import { fillPath, isAudited, routeList, type RouteSpec } from '@careos/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { BUSINESSOS, partnerHeaders, startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { INTEGRATION_ADMIN } from './helpers/integration.js';
import { generateTestKeys } from './helpers/keys.js';

const keys = generateTestKeys();
const STAFF = { email: 'desk@careos.test', password: 'a staff password 123' };

type Row = Record<string, unknown> & { request_id: string; route: string; method: string; status: number; actor_type: string; actor_id: string | null };

/** Every admin route of the contract: a route added later is covered without touching this file. */
const adminRoutes = routeList.filter((r) => r.path.startsWith('/admin'));

/** A call that reaches the route: dummy ids in the path, an empty JSON object as the body. */
function requestFor(route: RouteSpec, headers: Record<string, string>) {
  const params = Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, 'no_such_id']));
  return [route.method, fillPath(route.path, params), { headers, ...(route.body ? { json: {} } : {}) }] as const;
}

describe.each(backendNames())('audit coverage (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let admin: Record<string, string>;
  let adminId: string;
  let staffId: string;

  const rowsFor = async (prefix: string): Promise<Row[]> => {
    await server.app.flush();
    return query<Row>(db, `select * from audit_log where request_id like '${prefix}%' order by seq`);
  };
  const login = (email: string, password: string, requestId: string) => call(server.url, 'POST', '/auth/login', { json: { email, password }, headers: { 'x-request-id': requestId } });

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, env: testEnv({ keys, extra: { ...INTEGRATION_ADMIN, CAREOS_RATE_LIMIT_LEADS: '3' } }) });
    staffId = (await server.app.services.staff.create({ ...STAFF, name: 'Front Desk', role: 'staff' })).id;
    const res = await login(INTEGRATION_ADMIN.CAREOS_ADMIN_EMAIL, INTEGRATION_ADMIN.CAREOS_ADMIN_PASSWORD, 'setup-login');
    admin = { authorization: `Bearer ${res.body.access_token}` };
    adminId = res.body.user.id;
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  it('audits staff logins, succeeded and failed, naming the account but never the email or password', async () => {
    expect((await login(STAFF.email, STAFF.password, 'login-ok')).status).toBe(200);
    expect((await login(STAFF.email, 'not the password', 'login-wrong-password')).status).toBe(401);
    expect((await login('nobody-here@careos.test', 'whatever 123', 'login-unknown')).status).toBe(401);
    const rows = await rowsFor('login-');
    const base = { method: 'POST', route: '/auth/login', partner_id: null, ip: expect.stringMatching(/127\.0\.0\.1/) };
    expect(rows).toEqual([
      expect.objectContaining({ ...base, request_id: 'login-ok', status: 200, actor_type: 'staff', actor_id: staffId, subject_type: 'staff', subject_id: staffId }),
      expect.objectContaining({ ...base, request_id: 'login-wrong-password', status: 401, actor_type: 'anonymous', actor_id: null, subject_type: 'staff', subject_id: staffId }),
      expect.objectContaining({ ...base, request_id: 'login-unknown', status: 401, actor_type: 'anonymous', actor_id: null, subject_type: null, subject_id: null }),
    ]);
    const text = JSON.stringify(rows);
    for (const secret of [STAFF.email, STAFF.password, 'not the password', 'nobody-here', 'whatever 123']) expect(text).not.toContain(secret);
  });

  it(`writes a row for each of the ${adminRoutes.length} admin routes, as the admin and without a token`, async () => {
    expect(adminRoutes.length).toBeGreaterThanOrEqual(29);
    for (const [i, route] of adminRoutes.entries()) {
      const [method, path, options] = requestFor(route, { ...admin, 'x-request-id': `admin-route-${i}` });
      const res = await call(server.url, method, path, options);
      expect(res.status, `${route.id}: ${res.text}`).toBeLessThan(500);
      const [anonMethod, anonPath, anonOptions] = requestFor(route, { 'x-request-id': `anon-route-${i}` });
      expect((await call(server.url, anonMethod, anonPath, anonOptions)).status, route.id).toBe(401);
    }
    const byId = new Map((await rowsFor('admin-route-')).map((r) => [r.request_id, r]));
    const anonymous = new Map((await rowsFor('anon-route-')).map((r) => [r.request_id, r]));
    for (const [i, route] of adminRoutes.entries()) {
      expect(byId.get(`admin-route-${i}`), route.id).toEqual(expect.objectContaining({ method: route.method, route: route.path, actor_type: 'staff', actor_id: adminId }));
      expect(anonymous.get(`anon-route-${i}`), route.id).toEqual(expect.objectContaining({ method: route.method, route: route.path, actor_type: 'anonymous', status: 401 }));
    }
  });

  it('audits key issue and revoke, and a role denial (403) with the staff member who tried', async () => {
    const created = await call(server.url, 'POST', '/admin/lookup/keys', { json: { name: 'Call centre' }, headers: { ...admin, 'x-request-id': 'keys-issue' } });
    expect(created.status).toBe(201);
    const keyId = created.body.key.id as string;
    expect((await call(server.url, 'DELETE', `/admin/lookup/keys/${keyId}`, { headers: { ...admin, 'x-request-id': 'keys-revoke' } })).status).toBe(200);
    const rotated = await call(server.url, 'POST', `/admin/partners/${BUSINESSOS.platform}/keys`, { json: { revoke_existing: false }, headers: { ...admin, 'x-request-id': 'keys-rotate' } });
    expect(rotated.status).toBe(201);
    const staffToken = (await login(STAFF.email, STAFF.password, 'keys-staff-login')).body.access_token as string;
    const denied = await call(server.url, 'POST', '/admin/lookup/keys', { json: { name: 'Not mine to make' }, headers: { authorization: `Bearer ${staffToken}`, 'x-request-id': 'keys-denied' } });
    expect(denied.status).toBe(403);

    const rows = await rowsFor('keys-');
    const find = (id: string) => rows.find((r) => r.request_id === id);
    expect(find('keys-issue')).toEqual(expect.objectContaining({ route: '/admin/lookup/keys', status: 201, actor_id: adminId, subject_type: 'lookup_key', subject_id: keyId }));
    expect(find('keys-revoke')).toEqual(expect.objectContaining({ method: 'DELETE', route: '/admin/lookup/keys/{keyId}', status: 200, subject_type: 'lookup_key', subject_id: keyId }));
    expect(find('keys-rotate')).toEqual(expect.objectContaining({ route: '/admin/partners/{platform}/keys', status: 201, subject_type: 'api_key', subject_id: rotated.body.key.id }));
    expect(find('keys-denied')).toEqual(expect.objectContaining({ route: '/admin/lookup/keys', status: 403, actor_type: 'staff', actor_id: staffId }));
    expect(JSON.stringify(rows)).not.toContain(created.body.api_key);
  });

  it('audits refusals before any handler: bad JSON, a bad path escape, a rate limit, an unknown admin path', async () => {
    const id = (name: string) => ({ ...admin, 'x-request-id': `early-${name}` });
    expect((await call(server.url, 'POST', '/admin/lookup/keys', { raw: '{"name": ', headers: { ...id('json'), 'content-type': 'application/json' } })).status).toBe(400);
    expect((await call(server.url, 'GET', '/admin/webhooks/deliveries/%E0%A4%A', { headers: id('escape') })).status).toBe(400);
    expect((await call(server.url, 'GET', '/admin/no-such-thing', { headers: id('unknown') })).status).toBe(404);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(server.url, 'GET', '/api/partner/payments', { headers: partnerHeaders(BUSINESSOS, { 'x-request-id': `early-limit-${i}` }) })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);

    const rows = await rowsFor('early-');
    const find = (id: string) => rows.find((r) => r.request_id === `early-${id}`);
    expect(find('json')).toEqual(expect.objectContaining({ route: '/admin/lookup/keys', status: 400, actor_id: adminId }));
    expect(find('escape')).toEqual(expect.objectContaining({ route: '/admin/webhooks/deliveries/{deliveryId}', status: 400 }));
    expect(find('unknown')).toEqual(expect.objectContaining({ route: '(unmatched)', status: 404, method: 'GET' }));
    expect(find('limit-3')).toEqual(expect.objectContaining({ route: '/api/partner/payments', status: 429, actor_type: 'partner' }));
    expect(JSON.stringify(rows)).not.toContain('no-such-thing');
  });

  it('audits every route except those that opt out, and nothing for /health, /openapi.json and /docs', async () => {
    expect(routeList.filter((r) => !isAudited(r)).map((r) => r.id)).toEqual(['health']);
    for (const path of ['/health', '/openapi.json', '/docs']) expect((await call(server.url, 'GET', path, { headers: { 'x-request-id': `meta-${path}` } })).status).toBe(200);
    expect((await call(server.url, 'GET', '/api/keys/public', { headers: { 'x-request-id': 'meta-public-key' } })).status).toBe(200);
    expect((await rowsFor('meta-')).map((r) => r.route)).toEqual(['/api/keys/public']);
  });

  it('lists rows newest first by cursor, filters by actor, and verifies the chain over HTTP', async () => {
    const first = await call(server.url, 'GET', `/admin/audit?limit=2&actor_id=${staffId}`, { headers: admin });
    expect(first.status).toBe(200);
    expect(first.body.entries).toHaveLength(2);
    expect(first.body.entries[0].seq).toBeGreaterThan(first.body.entries[1].seq);
    expect(first.body.entries.every((e: Row) => e.actor_id === staffId)).toBe(true);
    const second = await call(server.url, 'GET', `/admin/audit?limit=2&actor_id=${staffId}&cursor=${first.body.next_cursor}`, { headers: admin });
    expect(second.body.entries[0].seq).toBeLessThan(first.body.entries[1].seq);
    expect((await call(server.url, 'GET', '/admin/audit?cursor=bm9wZQ', { headers: admin })).status).toBe(400);

    await server.app.flush();
    // Counted first: the verify call's own row is written after its answer.
    const [count] = await query<{ n: number }>(db, 'select count(*)::int as n from audit_log');
    const n = Number(count!.n);
    const verified = await call(server.url, 'GET', '/admin/audit/verify', { headers: admin });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ ok: true, rows_checked: n, head: { seq: n, hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
  });
});
