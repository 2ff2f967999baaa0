import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../src/index.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { call } from './helpers/http.js';
import { adminHeaders, INTEGRATION_ADMIN } from './helpers/integration.js';
import { generateTestKeys } from './helpers/keys.js';
import { lookupPost } from './helpers/lookup.js';

const keys = generateTestKeys();
const env = () => testEnv({ keys, extra: { ...INTEGRATION_ADMIN, CAREOS_RATE_LIMIT_LOOKUP: '100000' } });

/** The seed's case 9 (Antonio Dorato), whose primary phone this is. */
const ANTONIO = '+39 06 2222 4444';

describe.each(backendNames())('lookup answer cache (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let admin: Record<string, string>;
  const createCase = (target: TestApp, body: unknown) => call(target.url, 'POST', '/admin/lookup/cases', { json: body, headers: admin });

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, env: env() });
    await server.app.seedDemo();
    admin = await adminHeaders(server);
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  it('answers a repeated number from memory, and a new case through the admin route is the very next answer', async () => {
    const before = await lookupPost(server, ANTONIO);
    expect(before.body.case_id).toBe('9');
    expect(server.app.services.lookup.answers.get('+390622224444')).toMatchObject({ caseId: '9' });
    expect((await lookupPost(server, ANTONIO)).body.case_id).toBe('9');

    const { patient_id } = (await server.app.services.lookup.cases.get('9'))!;
    const newer = await createCase(server, { patient_id, status: 'APPUNTAMENTO', created_at: '2030-01-01T00:00:00Z' });
    expect(newer.status).toBe(201);
    const after = await lookupPost(server, ANTONIO);
    expect(after.body).toMatchObject({ case_id: newer.body.case_id, case: { status: 'APPUNTAMENTO' } });
  });

  it('a number that had no case finds the case created for it next', async () => {
    const phone = '+39 06 7777 0001';
    expect((await lookupPost(server, phone)).status).toBe(404);
    expect(server.app.services.lookup.answers.get('+390677770001')).toEqual({ caseId: null });
    const created = await createCase(server, { patient: { name: 'Nina Bassi', cell_phone: phone }, status: 'NUOVO' });
    const found = await lookupPost(server, phone);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ case_id: created.body.case_id, patient: { name: 'Nina Bassi' } });
  });

  it('a case created through the service is the next answer too', async () => {
    const phone = '+39 06 7777 0002';
    expect((await lookupPost(server, phone)).status).toBe(404);
    const created = await server.app.services.lookup.cases.create({ patient: { name: 'Dario Fo', phone }, status: 'NUOVO' });
    expect((await lookupPost(server, phone)).body.case_id).toBe(created.case_id);
  });

  it.runIf(backendName === 'postgres')('a case created on another instance is seen once its announcement arrives', async () => {
    const other = await startApp({ db: await backend.open(), env: env() });
    try {
      const phone = '+39 06 7777 0003';
      expect((await lookupPost(other, phone)).status).toBe(404);
      const answers = other.app.services.lookup.answers;
      expect(answers.get('+390677770003')).toEqual({ caseId: null });
      const generation = answers.generation;

      const created = await createCase(server, { patient: { name: 'Elsa Morante', phone }, status: 'NUOVO' });
      // The announcement travels through PostgreSQL: wait for it to reach the other instance.
      await vi.waitFor(() => expect(answers.generation).toBeGreaterThan(generation), { timeout: 5_000, interval: 10 });
      expect((await lookupPost(other, phone)).body.case_id).toBe(created.body.case_id);
    } finally {
      await other.close();
    }
  });

  it.runIf(backendName === 'postgres')('caches nothing while the announcing connection is down, and again once it is back', async () => {
    const answers = server.app.services.lookup.answers;
    await lookupPost(server, ANTONIO);
    expect(answers.size).toBeGreaterThan(0);
    const generation = answers.generation;
    await db.rows(sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen %'`);
    // Losing it drops every answer; until it listens again, lookups read the database.
    await vi.waitFor(() => expect(answers.generation).toBeGreaterThan(generation), { timeout: 5_000, interval: 10 });
    await vi.waitFor(
      async () => {
        await lookupPost(server, ANTONIO);
        expect(answers.size).toBeGreaterThan(0);
      },
      { timeout: 10_000, interval: 50 },
    );
  });
});
