import { ErrorEnvelope, LOOKUP_PHONE_REQUIRED_MESSAGE, LookupFound, LookupNotFound, SEED_LOOKUP_FOUND, SEED_LOOKUP_NOT_FOUND } from '@careos/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DemoCredentials } from '../src/index.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { call } from './helpers/http.js';
import { adminHeaders, INTEGRATION_ADMIN } from './helpers/integration.js';
import { generateTestKeys } from './helpers/keys.js';
import { lookupGet, lookupHeaders, lookupPost } from './helpers/lookup.js';

const keys = generateTestKeys();

/** Our envelope fields, added to the seed's error bodies. */
const withoutEnvelope = (body: Record<string, unknown>) => {
  const { code: _code, request_id: _requestId, details: _details, ...rest } = body;
  return rest;
};

describe.each(backendNames())('CCaaS lookup (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let demo: DemoCredentials;
  let admin: Record<string, string>;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, env: testEnv({ keys, extra: { ...INTEGRATION_ADMIN, CAREOS_RATE_LIMIT_LOOKUP: '100000' } }) });
    demo = await server.app.seedDemo();
    admin = await adminHeaders(server);
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  describe("the seed's test script, as written", () => {
    it('GET %2B3906%202222%204444 finds case 9 with the documented body, echoing the phone as received', async () => {
      const res = await lookupGet(server, '%2B3906%202222%204444');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      // The seed's example was made with "+39 06 2222 4444"; this request decodes to "+3906 2222 4444".
      expect(res.body).toEqual({ ...SEED_LOOKUP_FOUND, phone_searched: '+3906 2222 4444' });
    });

    it('GET %2B391234567890 is the documented 404', async () => {
      const res = await lookupGet(server, '%2B391234567890');
      expect(res.status).toBe(404);
      expect(res.body).toEqual(SEED_LOOKUP_NOT_FOUND);
      expect(res.headers['x-request-id']).toBeDefined();
    });

    it('POST {"phone": "+39 06 2222 4444"} is the documented 200, verbatim', async () => {
      const res = await call(server.url, 'POST', '/api/lookup', { raw: '{"phone": "+39 06 2222 4444"}', headers: lookupHeaders({ 'content-type': 'application/json' }) });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(SEED_LOOKUP_FOUND);
    });

    it('the seed\'s other test number, "+39 123 456 7890", is not found', async () => {
      const res = await lookupPost(server, '+39 123 456 7890');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ found: false, message: 'No case found for phone number: +39 123 456 7890', phone: '+39 123 456 7890' });
    });
  });

  it('finds case 9 from every common shape of the number, in the query and in the body', async () => {
    const queries: [raw: string, received: string][] = [
      ['%2B39%2006%202222%204444', '+39 06 2222 4444'],
      ['%2B390622224444', '+390622224444'],
      ['+390622224444', ' 390622224444'],
      ['+39%2006%202222%204444', ' 39 06 2222 4444'],
      ['%252B3906%25202222%25204444', '%2B3906%202222%204444'],
      ['0039%2006%202222%204444', '0039 06 2222 4444'],
      ['00390622224444', '00390622224444'],
      ['06%202222%204444', '06 2222 4444'],
      ['06-2222-4444', '06-2222-4444'],
      ['(06)%2022224444', '(06) 22224444'],
      ['%2B39.06.2222.4444', '+39.06.2222.4444'],
      ['%2B39%20333%20222%204444', '+39 333 222 4444'],
      ['333%20222%204444', '333 222 4444'],
    ];
    for (const [raw, received] of queries) {
      const res = await lookupGet(server, raw);
      expect(res.status, raw).toBe(200);
      expect(res.body.case_id, raw).toBe('9');
      expect(res.body.phone_searched, raw).toBe(received);
    }
    for (const phone of ['+390622224444', '0039 06 2222 4444', ' 390622224444', '06 2222 4444', '+39 (06) 2222-4444', '\u00a0+39 06 2222 4444 ', '+39 333 222 4444']) {
      const res = await lookupPost(server, phone);
      expect(res.status, JSON.stringify(phone)).toBe(200);
      expect(res.body.case_id).toBe('9');
      expect(res.body.phone_searched).toBe(phone);
    }
  });

  it('accepts the key as x-api-key or as Authorization: Bearer, the seed placeholder and the generated demo key', async () => {
    const variants: Record<string, string>[] = [
      { 'x-api-key': demo.lookup.apiKey },
      { authorization: `Bearer ${demo.lookup.apiKey}` },
      { authorization: `Bearer ${demo.lookup.seedApiKey}` },
      { authorization: `bearer ${demo.lookup.seedApiKey}` },
    ];
    for (const headers of variants) {
      const res = await lookupGet(server, '%2B390622224444', headers);
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(LookupFound.parse(res.body).case_id).toBe('9');
    }
    expect(demo.lookup).toEqual({ apiKey: expect.stringMatching(/^lookup_test_[0-9A-Za-z]{32}$/), seedApiKey: 'your-api-key-here', phones: { found: '+39 06 2222 4444', notFound: '+39 123 456 7890' } });
  });

  it("answers a missing or empty phone with the seed's 400", async () => {
    for (const path of ['/api/lookup', '/api/lookup?phone=', '/api/lookup?phone=%20%20', '/api/lookup?other=1']) {
      const res = await call(server.url, 'GET', path, { headers: lookupHeaders() });
      expect(res.status, path).toBe(400);
      expect(withoutEnvelope(res.body), path).toEqual({ error: 'Phone number is required', message: LOOKUP_PHONE_REQUIRED_MESSAGE });
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', request_id: res.headers['x-request-id'] });
    }
    for (const json of [{}, { phone: '' }, { phone: null }]) {
      const res = await call(server.url, 'POST', '/api/lookup', { json, headers: lookupHeaders() });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.body).toMatchObject({ error: 'Phone number is required', code: 'VALIDATION_FAILED', message: expect.stringContaining('"phone"') });
    }
    const empty = await call(server.url, 'POST', '/api/lookup', { headers: lookupHeaders() });
    expect(empty.body.error).toBe('Phone number is required');
  });

  it("answers a missing or wrong key with the seed's 401 (checked before the phone)", async () => {
    const cases: Record<string, string>[] = [{}, { 'x-api-key': 'wrong-key' }, { authorization: 'Bearer wrong-key' }, { authorization: 'Basic eW91ci1hcGkta2V5LWhlcmU6' }, { 'x-api-key': '' }];
    for (const headers of cases) {
      for (const res of [await lookupGet(server, '%2B390622224444', headers), await call(server.url, 'GET', '/api/lookup', { headers }), await lookupPost(server, 'x', headers)]) {
        expect(res.status, JSON.stringify(headers)).toBe(401);
        expect(withoutEnvelope(res.body)).toEqual({ error: 'Unauthorized', message: expect.any(String) });
        expect(res.body.code).toBe('AUTH_FAILED');
        expect(res.headers['x-ratelimit-limit']).toBeUndefined();
      }
    }
  });

  it('answers something that is no phone number with 400 "Invalid phone number"', async () => {
    for (const raw of ['abc', 'hello%20world', '123', '%2B', '%2B%2B39', 'ciao%2B39', '%25', '%25E0%25A4%25A', encodeURIComponent('+39 06 2222 4444 / +39 333')]) {
      const res = await lookupGet(server, raw);
      expect(res.status, raw).toBe(400);
      expect(ErrorEnvelope.parse(res.body)).toMatchObject({ error: 'Invalid phone number', code: 'VALIDATION_FAILED' });
    }
    for (const phone of ['abc', 42, ['+390622224444'], { n: 1 }, 'x'.repeat(200)]) {
      const res = await lookupPost(server, phone);
      expect(res.status, JSON.stringify(phone)).toBe(400);
      expect(res.body.error).toBe('Invalid phone number');
    }
    const twice = await call(server.url, 'GET', '/api/lookup?phone=%2B390622224444&phone=%2B390622224444', { headers: lookupHeaders() });
    expect(twice.status).toBe(400);
    expect(twice.body.error).toBe('Invalid phone number');
  });

  it('pops the most recent case across patients and across the three phone fields', async () => {
    // Demo: Antonio has cases 4 and 9; Giulia 2 and 10; Marco (case 3) and Laura (case 7) share a home phone.
    expect((await lookupPost(server, '+39 347 555 1212')).body.case_id).toBe('10');
    expect((await lookupPost(server, '+39 02 8765 4321')).body.case_id).toBe('10');
    expect((await lookupPost(server, '+39 011 456 7890')).body.case.treatment).toBe('Postural Therapy');
    expect((await lookupPost(server, '+39 339 876 5432')).body.case.treatment).toBe('Knee Rehabilitation');

    const create = (body: unknown) => call(server.url, 'POST', '/admin/lookup/cases', { json: body, headers: admin });
    const first = await create({ patient: { name: 'Paolo Neri', phone: '+39 06 5555 0001', cell_phone: '+39 320 555 0001' }, status: 'NUOVO', created_at: '2025-01-01T00:00:00Z' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ patient: { name: 'Paolo Neri', phone: '+39 06 5555 0001', home_phone: null, cell_phone: '+39 320 555 0001' }, careos_user_id: null });
    expect(Number(first.body.case_id)).toBeGreaterThanOrEqual(1000);
    expect(first.body.case.created_at).toBe('2025-01-01T00:00:00.000000+00:00');
    const byCell = () => lookupPost(server, '+39 320 555 0001');
    expect((await byCell()).body.case_id).toBe(first.body.case_id);

    // A later case of the same patient wins; an earlier one does not.
    const later = await create({ patient_id: first.body.patient_id, status: 'APPUNTAMENTO', clinic: 'Centro Oculistico Roma', created_at: '2026-03-01T09:30:00.123456Z' });
    await create({ patient_id: first.body.patient_id, status: 'CHIUSO', created_at: '2024-06-01T00:00:00Z' });
    expect((await byCell()).body).toMatchObject({ case_id: later.body.case_id, case: { status: 'APPUNTAMENTO', created_at: '2026-03-01T09:30:00.123456+00:00' } });

    // Another patient with this number as home phone, and a newer case, wins; so does one with it as primary phone.
    const home = await create({ patient: { name: 'Rita Neri', home_phone: '+39 320 555 0001', cell_phone: '+39 320 555 0002' }, status: 'NUOVO', created_at: '2026-04-01T00:00:00Z' });
    expect((await byCell()).body.case_id).toBe(home.body.case_id);
    expect((await byCell()).body.patient.name).toBe('Rita Neri');
    const primary = await create({ patient: { name: 'Ugo Neri', phone: '320 555 0001' }, status: 'NUOVO', created_at: '2026-05-01T00:00:00Z' });
    expect((await byCell()).body.case_id).toBe(primary.body.case_id);
    expect((await lookupPost(server, '+39 06 5555 0001')).body.case_id).toBe(later.body.case_id);
  });

  it('links a patient to the CareOS user a lead created with the same phone', async () => {
    const john = await lookupPost(server, '+1 415 555 0123');
    expect(john.status).toBe(200);
    const record = await call(server.url, 'POST', '/admin/lookup/cases', { json: { patient: { name: 'John Doe', cell_phone: '(415) 555-0123' }, status: 'NUOVO' }, headers: admin });
    // The lookup's default country is IT: a US number needs its country code.
    expect(record.status).toBe(201);
    expect(record.body.careos_user_id).toBeNull();
    const linked = await call(server.url, 'POST', '/admin/lookup/cases', { json: { patient: { name: 'John Doe', cell_phone: '+1 (415) 555-0123' }, status: 'NUOVO' }, headers: admin });
    expect(linked.body.careos_user_id).toMatch(/^user_/);
    const garbage = await call(server.url, 'POST', '/admin/lookup/cases', { json: { patient: { name: 'X', phone: 'not a phone' }, status: 'NUOVO' }, headers: admin });
    expect(garbage.status).toBe(400);
    expect(garbage.body.error).toBe('Invalid phone number');
    const unknown = await call(server.url, 'POST', '/admin/lookup/cases', { json: { patient_id: '999999', status: 'NUOVO' }, headers: admin });
    expect(unknown.status).toBe(404);
  });

  it('issues, lists and revokes lookup keys (admin only); a revoked key stops at once', async () => {
    const created = await call(server.url, 'POST', '/admin/lookup/keys', { json: { name: 'Genesys production' }, headers: admin });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ api_key: expect.stringMatching(/^lookup_live_/), key: { id: expect.stringMatching(/^lkey_/), name: 'Genesys production', revoked_at: null } });
    const key = created.body.api_key as string;
    expect((await lookupGet(server, '%2B390622224444', { authorization: `Bearer ${key}` })).status).toBe(200);

    const list = await call(server.url, 'GET', '/admin/lookup/keys', { headers: admin });
    expect(list.body.keys[0]).toMatchObject({ id: created.body.key.id, prefix: key.slice(0, 20) });
    expect(list.text).not.toContain(key);
    expect(list.body.keys.map((k: { name: string }) => k.name)).toEqual(expect.arrayContaining(['Seed placeholder key (demo)', 'Demo contact centre']));

    const revoked = await call(server.url, 'DELETE', `/admin/lookup/keys/${created.body.key.id}`, { headers: admin });
    expect(revoked.status).toBe(200);
    expect(revoked.body.key.revoked_at).toEqual(expect.any(String));
    expect((await lookupGet(server, '%2B390622224444', { authorization: `Bearer ${key}` })).status).toBe(401);
    expect((await call(server.url, 'DELETE', '/admin/lookup/keys/lkey_nope', { headers: admin })).status).toBe(404);

    for (const [method, path] of [['GET', '/admin/lookup/keys'], ['POST', '/admin/lookup/keys'], ['POST', '/admin/lookup/cases']] as const) {
      const anonymous = await call(server.url, method, path, { json: {}, headers: lookupHeaders() });
      expect(anonymous.status, path).toBe(401);
    }
  });

  it('documents the 404 in the served OpenAPI and sends rate-limit headers with both answers', async () => {
    const found = await lookupGet(server, '%2B390622224444');
    const missing = await lookupGet(server, '%2B391234567890');
    for (const res of [found, missing]) {
      expect(res.headers['x-ratelimit-limit']).toBe('100000');
      expect(Number(res.headers['x-ratelimit-remaining'])).toBeLessThan(100000);
    }
    expect(LookupNotFound.parse(missing.body).found).toBe(false);
    const spec = await call(server.url, 'GET', '/openapi.json');
    expect(spec.body.paths['/api/lookup'].get.responses['404'].content['application/json'].schema.$ref).toBe('#/components/schemas/LookupNotFound');
  });
});
