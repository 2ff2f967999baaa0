import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DemoCredentials } from '../src/index.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';
import { lookupGet, lookupHeaders, lookupPost, phoneForms } from './helpers/lookup.js';

const keys = generateTestKeys();

describe.each(backendNames())('lookup audit rows and logs (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let demo: DemoCredentials;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, env: testEnv({ keys }) });
    demo = await server.app.seedDemo();
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  it('audits every lookup with the key and the case found, and neither the audit rows nor the logs ever hold the phone', async () => {
    const id = (name: string) => lookupHeaders({ 'x-request-id': `lookup-audit-${name}` });
    expect((await lookupGet(server, '%2B3906%202222%204444', id('found'))).status).toBe(200);
    expect((await lookupPost(server, '+39 123 456 7890', id('missing'))).status).toBe(404);
    expect((await lookupGet(server, 'ciao%2039%2006', id('garbage'))).status).toBe(400);
    expect((await lookupGet(server, '%2B39%20333%20222%204444', { 'x-api-key': 'nope', 'x-request-id': 'lookup-audit-denied' })).status).toBe(401);
    expect((await call(server.url, 'GET', '/api/lookup', { headers: id('empty') })).status).toBe(400);
    await server.app.flush();

    const rows = await query<Record<string, unknown>>(db, "select * from audit_log where request_id like 'lookup-audit-%' order by id");
    const [seedKey] = await query<{ id: string }>(db, "select id from lookup_api_keys where name = 'Seed placeholder key (demo)'");
    const lookup = { actor_type: 'lookup', actor_id: seedKey!.id, partner_id: null, route: '/api/lookup' };
    expect(rows).toEqual([
      expect.objectContaining({ ...lookup, request_id: 'lookup-audit-found', method: 'GET', status: 200, subject_type: 'case', subject_id: '9' }),
      expect.objectContaining({ ...lookup, request_id: 'lookup-audit-missing', method: 'POST', status: 404, subject_type: null, subject_id: null }),
      expect.objectContaining({ ...lookup, request_id: 'lookup-audit-garbage', status: 400, subject_id: null }),
      expect.objectContaining({ request_id: 'lookup-audit-denied', actor_type: 'anonymous', actor_id: null, status: 401, route: '/api/lookup' }),
      expect.objectContaining({ ...lookup, request_id: 'lookup-audit-empty', status: 400 }),
    ]);

    const forms = [
      ...phoneForms('+390622224444', '+39 06 2222 4444'),
      ...phoneForms('+391234567890', '+39 123 456 7890'),
      ...phoneForms('+393332224444', '+39 333 222 4444'),
      '3906 2222',
      'ciao',
    ];
    const audit = JSON.stringify(rows);
    const logs = server.logs.join('\n');
    for (const form of forms) {
      expect(audit, form).not.toContain(form);
      expect(logs, form).not.toContain(form);
    }
    for (const secret of [demo.lookup.apiKey, demo.lookup.seedApiKey]) expect(logs).not.toContain(secret);
    const lines = server.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request' && l.route === '/api/lookup');
    expect(lines.map((l) => l.status)).toEqual(expect.arrayContaining([200, 404, 400, 401]));
  });
});
