import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { BUSINESSOS, partnerHeaders, startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { encryptPhone, generateTestKeys } from './helpers/keys.js';
import { leadBody } from './helpers/leads.js';

const keys = generateTestKeys();

describe.each(backendNames())('audit trail and logs (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, env: testEnv({ keys }) });
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  it('writes one audit row per call to an audited route, with actor, subject and outcome but no PHI', async () => {
    const phone = '+14155550187';
    const body = leadBody({ keys, phone }, { user_name: 'Maria Sanchez', original_message: 'My father fell and needs home care' });
    const ok = await call(server.url, 'POST', '/api/leads/ingest', { json: body, headers: partnerHeaders(BUSINESSOS, { 'x-request-id': 'audit-ok-1' }) });
    expect(ok.status).toBe(200);
    const denied = await call(server.url, 'POST', '/api/leads/ingest', { json: body, headers: { 'x-api-key': 'wrong', 'x-platform': 'businessos', 'x-request-id': 'audit-denied-1' } });
    expect(denied.status).toBe(401);
    const read = await call(server.url, 'GET', `/api/leads/${ok.body.careos_lead_id}`, { headers: partnerHeaders(BUSINESSOS, { 'x-request-id': 'audit-read-1' }) });
    expect(read.status).toBe(200);
    await call(server.url, 'GET', '/health', { headers: { 'x-request-id': 'audit-health-1' } });
    await server.app.flush();

    const rows = await query<Record<string, unknown>>(db, "select * from audit_log where request_id like 'audit-%' order by id");
    const [partnerRow] = await query<{ id: string }>(db, "select id from partners where platform = 'businessos'");
    expect(rows).toEqual([
      expect.objectContaining({
        request_id: 'audit-ok-1',
        actor_type: 'partner',
        actor_id: expect.stringMatching(/^key_/),
        partner_id: partnerRow!.id,
        method: 'POST',
        route: '/api/leads/ingest',
        subject_type: 'user',
        subject_id: ok.body.careos_user_id,
        status: 200,
        ip: expect.stringMatching(/127\.0\.0\.1/),
      }),
      expect.objectContaining({ request_id: 'audit-denied-1', actor_type: 'anonymous', actor_id: null, partner_id: null, status: 401, subject_id: null }),
      expect.objectContaining({ request_id: 'audit-read-1', route: '/api/leads/{leadId}', method: 'GET', subject_id: ok.body.careos_user_id, status: 200 }),
    ]);
    const text = JSON.stringify(rows);
    for (const secret of ['4155550187', 'Maria', 'Sanchez', 'father', BUSINESSOS.apiKey, BUSINESSOS.salt]) expect(text).not.toContain(secret);
  });

  it('logs one line per request and never the phone (in any format), the API key or the salt', async () => {
    const phone = '+14155550123';
    const body = leadBody({ keys, phone });
    await call(server.url, 'POST', '/api/leads/ingest', { json: body, headers: partnerHeaders(BUSINESSOS, { 'idempotency-key': 'log-test-1' }) });
    await call(server.url, 'POST', '/api/leads/ingest', { json: { ...body, user_phone_encrypted: encryptPhone(keys.publicKeyPem, phone) }, headers: partnerHeaders() });
    await call(server.url, 'POST', '/api/leads/ingest', { json: { ...body, user_phone_hash: 'ab'.repeat(32), source_conversation_id: 'other' }, headers: partnerHeaders() });
    await call(server.url, 'POST', '/api/leads/ingest', { json: body, headers: { 'x-api-key': BUSINESSOS.apiKey, 'x-platform': 'nobody' } });
    await server.app.flush();

    const logs = server.logs.join('\n');
    for (const form of ['+14155550123', '14155550123', '4155550123', '(415) 555-0123', '415-555-0123', '555-0123', '5550123']) expect(logs).not.toContain(form);
    expect(logs).not.toContain(BUSINESSOS.apiKey);
    expect(logs).not.toContain(BUSINESSOS.salt);
    expect(logs).not.toContain(body.user_phone_encrypted as string);
    expect(logs).not.toContain(body.user_phone_hash as string);
    expect(logs).not.toContain('log-test-1');

    const lines = server.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request' && l.route === '/api/leads/ingest');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.map((l) => l.status)).toEqual(expect.arrayContaining([200, 400, 401]));
    for (const line of lines) {
      expect(line).toEqual(expect.objectContaining({ method: 'POST', req_id: expect.any(String), ms: expect.any(Number), status: expect.any(Number) }));
      expect(Object.keys(line).sort()).toEqual(expect.arrayContaining(['method', 'ms', 'req_id', 'route', 'status']));
    }
    expect(lines.find((l) => l.status === 200)!.partner).toBe('businessos');
  });
});
