import { CreatePartnerResponse, LeadList, LoginResponse, MessageList, PartnerList } from '@careos/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { BUSINESSOS, partnerHeaders, startApp, testEnv, type PartnerFixture, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { ManualClock } from './helpers/clock.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';
import { leadBody, uniquePhone } from './helpers/leads.js';

const keys = generateTestKeys();
const ADMIN = { CAREOS_ADMIN_EMAIL: 'Ops@CareOS.test', CAREOS_ADMIN_PASSWORD: 'correct horse battery' };

describe.each(backendNames())('staff auth and admin routes (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  const clock = new ManualClock();

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, clock, env: testEnv({ keys, extra: ADMIN }) });
    await server.app.services.staff.create({ email: 'nurse@careos.test', password: 'staff password 1', name: 'Nurse', role: 'staff' });
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  const login = (email: string, password: string) => call(server.url, 'POST', '/auth/login', { json: { email, password } });
  const bearer = async (email = ADMIN.CAREOS_ADMIN_EMAIL, password = ADMIN.CAREOS_ADMIN_PASSWORD) => ({
    authorization: `Bearer ${(await login(email, password)).body.access_token}`,
  });

  it('logs the configured admin in (email case-insensitive) with a 15-minute bearer token and a refresh token', async () => {
    const res = await login('  ops@careos.TEST ', ADMIN.CAREOS_ADMIN_PASSWORD);
    expect(res.status).toBe(200);
    const parsed = LoginResponse.parse(res.body);
    expect(parsed).toMatchObject({ token_type: 'bearer', expires_in: 900, user: { email: 'ops@careos.test', role: 'admin' } });
  });

  it('refuses a wrong password or unknown email with the same 401', async () => {
    const wrong = await login(ADMIN.CAREOS_ADMIN_EMAIL, 'nope');
    const unknown = await login('ghost@careos.test', 'nope');
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: 'Incorrect email or password', code: 'AUTH_FAILED' });
    }
    const invalid = await call(server.url, 'POST', '/auth/login', { json: { email: 'not-an-email', password: 'x' } });
    expect(invalid.status).toBe(400);
  });

  it('requires a valid token on admin routes', async () => {
    for (const headers of [{}, { authorization: 'Bearer nonsense' }, { authorization: 'Basic abc' }] as Record<string, string>[]) {
      const res = await call(server.url, 'GET', '/admin/leads', { headers });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: 'Not authenticated', code: 'AUTH_FAILED' });
    }
  });

  it('answers an expired token with 401 TOKEN_EXPIRED', async () => {
    const auth = await bearer();
    expect((await call(server.url, 'GET', '/admin/leads', { headers: auth })).status).toBe(200);
    clock.advance(61 * 60 * 1000);
    const res = await call(server.url, 'GET', '/admin/leads', { headers: auth });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'Token expired', code: 'TOKEN_EXPIRED' });
  });

  it('lets staff read leads and messages but keeps admin-only routes to admins (403)', async () => {
    const staff = await bearer('nurse@careos.test', 'staff password 1');
    expect((await call(server.url, 'GET', '/admin/leads', { headers: staff })).status).toBe(200);
    expect((await call(server.url, 'GET', '/admin/messages', { headers: staff })).status).toBe(200);
    for (const [method, path] of [['GET', '/admin/partners'], ['POST', '/admin/partners'], ['POST', '/admin/payments/process'], ['GET', '/admin/payouts'], ['POST', '/admin/partners/businessos/keys']] as const) {
      const res = await call(server.url, method, path, { headers: staff, ...(method === 'POST' ? { json: { platform: 'x1' } } : {}) });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body).toMatchObject({ error: 'Insufficient role for this operation', code: 'FORBIDDEN' });
    }
  });

  it('creates a partner whose key and salt work at once; refuses a duplicate', async () => {
    const auth = await bearer();
    const res = await call(server.url, 'POST', '/admin/partners', { json: { platform: 'homecare', name: 'HomeCare Hub', environment: 'test', min_payout: 50 }, headers: auth });
    expect(res.status).toBe(201);
    const created = CreatePartnerResponse.parse(res.body);
    expect(created.api_key).toMatch(/^homecare_test_[0-9A-Za-z]{32}$/);
    expect(created.phone_hash_salt).toMatch(/^[0-9a-f]{64}$/);
    expect(created.partner).toMatchObject({ platform: 'homecare', name: 'HomeCare Hub', status: 'active', min_payout: 50, api_keys: [{ prefix: created.api_key.slice(0, 20), revoked_at: null }] });
    const partner: PartnerFixture = { platform: 'homecare', apiKey: created.api_key, salt: created.phone_hash_salt };
    const lead = await call(server.url, 'POST', '/api/leads/ingest', { json: leadBody({ keys, partner }), headers: partnerHeaders(partner) });
    expect(lead.status).toBe(200);
    const duplicate = await call(server.url, 'POST', '/admin/partners', { json: { platform: 'homecare' }, headers: auth });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ error: 'Partner already exists', code: 'ALREADY_EXISTS' });
    const list = PartnerList.parse((await call(server.url, 'GET', '/admin/partners', { headers: auth })).body);
    expect(list.partners.map((p) => p.platform)).toEqual(expect.arrayContaining(['businessos', 'homecare']));
    expect(JSON.stringify(list)).not.toContain(created.api_key);
  });

  it('rotates partner keys: both work until revoke_existing, then only the new one', async () => {
    const auth = await bearer();
    const created = (await call(server.url, 'POST', '/admin/partners', { json: { platform: 'rotator' }, headers: auth })).body;
    const first: PartnerFixture = { platform: 'rotator', apiKey: created.api_key, salt: created.phone_hash_salt };
    const ping = (p: PartnerFixture) => call(server.url, 'GET', '/api/partner/payments', { headers: partnerHeaders(p) });
    const second = (await call(server.url, 'POST', '/admin/partners/rotator/keys', { json: {}, headers: auth })).body;
    expect(second.api_key).toMatch(/^rotator_live_/);
    expect((await ping(first)).status).toBe(200);
    expect((await ping({ ...first, apiKey: second.api_key })).status).toBe(200);
    const third = await call(server.url, 'POST', '/admin/partners/rotator/keys', { json: { revoke_existing: true, environment: 'test' }, headers: auth });
    expect(third.status).toBe(201);
    expect((await ping(first)).status).toBe(401);
    expect((await ping({ ...first, apiKey: second.api_key })).status).toBe(401);
    expect((await ping({ ...first, apiKey: third.body.api_key })).status).toBe(200);
    const missing = await call(server.url, 'POST', '/admin/partners/nobody/keys', { json: {}, headers: auth });
    expect(missing.status).toBe(404);
  });

  it('refuses a suspended partner with 401', async () => {
    const auth = await bearer();
    const created = (await call(server.url, 'POST', '/admin/partners', { json: { platform: 'paused' }, headers: auth })).body;
    const partner: PartnerFixture = { platform: 'paused', apiKey: created.api_key, salt: created.phone_hash_salt };
    await server.app.services.partners.setStatus('paused', 'suspended');
    const res = await call(server.url, 'GET', '/api/partner/payments', { headers: partnerHeaders(partner) });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('Invalid API key');
  });

  it('lists leads (paged, by partner) and messages with masked numbers', async () => {
    const auth = await bearer();
    const phone = uniquePhone();
    const ingested = [];
    for (let i = 0; i < 3; i++) ingested.push((await call(server.url, 'POST', '/api/leads/ingest', { json: leadBody({ keys, phone }), headers: partnerHeaders() })).body);
    await server.app.flush();
    const page = LeadList.parse((await call(server.url, 'GET', '/admin/leads?partner=businessos&limit=2', { headers: auth })).body);
    expect(page.leads.map((l) => l.id)).toEqual([ingested[2].careos_lead_id, ingested[1].careos_lead_id]);
    const next = LeadList.parse((await call(server.url, 'GET', `/admin/leads?partner=businessos&limit=2&cursor=${page.next_cursor}`, { headers: auth })).body);
    expect(next.leads[0]!.id).toBe(ingested[0].careos_lead_id);
    const messages = await call(server.url, 'GET', `/admin/messages?lead_id=${ingested[0].careos_lead_id}`, { headers: auth });
    const list = MessageList.parse(messages.body);
    expect(list.messages).toHaveLength(1);
    expect(list.messages[0]!.to_masked).toBe(`${phone.slice(0, 3)}•••••••${phone.slice(-2)}`);
    expect(messages.text).not.toContain(phone);
    const byUser = MessageList.parse((await call(server.url, 'GET', `/admin/messages?user_id=${ingested[0].careos_user_id}`, { headers: auth })).body);
    // Three leads, one person: the welcome greets them once, with the first lead.
    expect(byUser.messages.map((m) => m.lead_id)).toEqual([ingested[0].careos_lead_id]);
  });

  it('revokes env keys that were removed from the environment at the next start', async () => {
    const oldKey = 'businessos_live_OldKeyOldKeyOldKey01';
    const newKey = 'businessos_live_NewKeyNewKeyNewKey02';
    const both = await startApp({ db, env: testEnv({ keys, partners: [{ ...BUSINESSOS, apiKey: `${oldKey},${newKey}` }] }) });
    const ping = (target: TestApp, apiKey: string) => call(target.url, 'GET', '/api/partner/payments', { headers: partnerHeaders({ ...BUSINESSOS, apiKey }) });
    expect((await ping(both, oldKey)).status).toBe(200);
    expect((await ping(both, newKey)).status).toBe(200);
    await both.close();
    const rotated = await startApp({ db, env: testEnv({ keys, partners: [{ ...BUSINESSOS, apiKey: newKey }] }) });
    try {
      expect((await ping(rotated, oldKey)).status).toBe(401);
      expect((await ping(rotated, newKey)).status).toBe(200);
    } finally {
      await rotated.close();
    }
  });
});
