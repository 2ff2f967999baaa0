import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, PayoutProvider } from '../src/index.js';
import { BUSINESSOS, partnerHeaders, startApp, testEnv, type PartnerFixture, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { ManualClock } from './helpers/clock.js';
import { count, query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { encryptPhone, generateTestKeys } from './helpers/keys.js';
import { leadBody, uniquePhone } from './helpers/leads.js';

const keys = generateTestKeys();
const OTHER: PartnerFixture = { platform: 'carelink', apiKey: 'carelink_test_Zx8Pq2Lm5Nb7Vc1Kd4Hs9Jt3', salt: 'other-salt-77aa' };
const ADMIN = { CAREOS_ADMIN_EMAIL: 'ops@careos.test', CAREOS_ADMIN_PASSWORD: 'correct horse battery' };

describe.each(backendNames())('Idempotency-Key (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  const clock = new ManualClock();
  // A payout provider the test can hold mid-request.
  let release: (() => void) | null = null;
  const payouts: PayoutProvider = {
    name: 'ledger',
    pay: async (request) => {
      if (release === null) await new Promise<void>((resolve) => (release = resolve));
      return { reference: `ledger_${request.payoutId}` };
    },
  };

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, clock, providers: { payouts }, env: testEnv({ keys, partners: [BUSINESSOS, OTHER], extra: ADMIN }) });
  });
  afterAll(async () => {
    release?.();
    await server?.close();
    await backend?.dispose();
  });

  // Logs in at the current (test) time, so moving the clock never leaves a stale token.
  const adminToken = async (): Promise<string> =>
    (await call(server.url, 'POST', '/auth/login', { json: { email: ADMIN.CAREOS_ADMIN_EMAIL, password: ADMIN.CAREOS_ADMIN_PASSWORD } })).body.access_token;

  const ingest = (body: unknown, key: string, partner: PartnerFixture = BUSINESSOS) =>
    call(server.url, 'POST', '/api/leads/ingest', { json: body, headers: partnerHeaders(partner, { 'idempotency-key': key }) });

  it('never stores the outcome of an unauthenticated POST: a login issues a fresh token every time', async () => {
    const login = () =>
      call(server.url, 'POST', '/auth/login', {
        json: { email: ADMIN.CAREOS_ADMIN_EMAIL, password: ADMIN.CAREOS_ADMIN_PASSWORD },
        headers: { 'idempotency-key': 'login-key-1' },
      });
    const before = await count(db, 'idempotency_keys');
    const first = await login();
    clock.advance(1_000);
    const second = await login();
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.body.access_token).not.toBe(first.body.access_token);
    expect(await count(db, 'idempotency_keys')).toBe(before);
  });

  it('replays the stored outcome of a key, even an error, with Idempotent-Replayed', async () => {
    const body = leadBody({ keys }, { original_message: '' });
    const first = await ingest(body, 'key-error-1');
    expect(first.status).toBe(400);
    const again = await ingest(body, 'key-error-1');
    expect(again.status).toBe(400);
    expect(again.headers['idempotent-replayed']).toBe('true');
    // The stored body, including the first request's id.
    expect(again.body).toEqual(first.body);
  });

  it('replays a success without creating anything', async () => {
    const body = leadBody({ keys });
    const first = await ingest(body, 'key-ok-1');
    expect(first.status).toBe(200);
    const leads = await count(db, 'leads');
    const again = await ingest(body, 'key-ok-1');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await count(db, 'leads')).toBe(leads);
  });

  it('replays a lead re-sent under the same key after re-encrypting its phone; a real change is a conflict', async () => {
    const phone = uniquePhone();
    const body = leadBody({ keys, phone });
    const first = await ingest(body, 'key-reencrypted-1');
    expect(first.status).toBe(200);
    // What an SDK does on a retry: encrypt the phone again, which gives a different ciphertext.
    const reencrypted = { ...body, user_phone_encrypted: encryptPhone(keys.publicKeyPem, phone) };
    expect(reencrypted.user_phone_encrypted).not.toBe(body.user_phone_encrypted);
    const again = await ingest(reencrypted, 'key-reencrypted-1');
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const changed = await ingest({ ...reencrypted, user_name: 'Someone Else' }, 'key-reencrypted-1');
    expect(changed.status).toBe(422);
    expect(changed.body.code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('takes over at once a key left in progress by a dead instance, and answers 409 while its instance lives', async () => {
    const body = leadBody({ keys });
    const first = await ingest(body, 'key-orphaned-1');
    expect(first.status).toBe(200);
    const leads = await count(db, 'leads');
    // As if the request were still running on instance `owner` (same body, so same fingerprint).
    const inProgress = (owner: string) =>
      query(db, `update idempotency_keys set state = 'in_progress', response_status = null, response_body = null, locked_by = '${owner}', locked_at = '${clock.now().toISOString()}' where key = 'key-orphaned-1'`);
    await query(db, `insert into instances (id, started_at, heartbeat_at) values ('silent-instance', now() - interval '1 hour', now() - interval '1 minute')`);

    for (const dead of ['crashed-instance', 'silent-instance']) {
      await inProgress(dead);
      const retried = await ingest(body, 'key-orphaned-1');
      // Ran again on this instance; the lead's natural key still gives the original lead.
      expect(retried.status).toBe(200);
      expect(retried.body.careos_lead_id).toBe(first.body.careos_lead_id);
      const [row] = await query<{ state: string; locked_by: string }>(db, "select state, locked_by from idempotency_keys where key = 'key-orphaned-1'");
      expect(row).toEqual({ state: 'completed', locked_by: server.app.instanceId });
    }
    expect(await count(db, 'leads')).toBe(leads);

    await inProgress(server.app.instanceId);
    const whileAlive = await ingest(body, 'key-orphaned-1');
    expect(whileAlive.status).toBe(409);
    expect(whileAlive.body.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    // A different body never takes a key over, dead owner or not.
    await inProgress('crashed-instance');
    const other = await ingest(leadBody({ keys }), 'key-orphaned-1');
    expect(other.status).toBe(422);
  });

  it('refuses the same key with a different body (422)', async () => {
    await ingest(leadBody({ keys }), 'key-conflict-1');
    const res = await ingest(leadBody({ keys }), 'key-conflict-1');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT', error: 'Idempotency key reused with a different request body' });
  });

  it('scopes keys per credential', async () => {
    const a = await ingest(leadBody({ keys }), 'shared-key');
    const b = await ingest(leadBody({ keys, partner: OTHER }), 'shared-key', OTHER);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.body.careos_lead_id).not.toBe(a.body.careos_lead_id);
  });

  it('answers 409 while the first request with the key is still running', async () => {
    await ingest(leadBody({ keys }, { lead_value_agreed: 40 }), 'seed-a-payment');
    clock.advance(31 * 24 * 3600 * 1000);
    const headers = { authorization: `Bearer ${await adminToken()}`, 'idempotency-key': 'run-1' };
    const first = call(server.url, 'POST', '/admin/payments/process', { json: { partner: 'businessos' }, headers });
    await expect.poll(() => release !== null, { timeout: 10_000 }).toBe(true);
    const during = await call(server.url, 'POST', '/admin/payments/process', { json: { partner: 'businessos' }, headers });
    expect(during.status).toBe(409);
    expect(during.body.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    release!();
    const done = await first;
    expect(done.status).toBe(200);
    const after = await call(server.url, 'POST', '/admin/payments/process', { json: { partner: 'businessos' }, headers });
    expect(after.status).toBe(200);
    expect(after.headers['idempotent-replayed']).toBe('true');
    expect(after.body).toEqual(done.body);
  });

  it('refuses keys longer than 255 characters', async () => {
    const res = await ingest(leadBody({ keys }), 'k'.repeat(256));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'Invalid request headers', code: 'VALIDATION_FAILED' });
    const ok = await ingest(leadBody({ keys }), 'k'.repeat(255));
    expect(ok.status).toBe(200);
  });

  it('releases the key after a 5xx so a retry runs', async () => {
    const payments = server.app.services.payments;
    const original = payments.processPayments.bind(payments);
    payments.processPayments = async () => {
      throw new Error('simulated outage');
    };
    const headers = { authorization: `Bearer ${await adminToken()}`, 'idempotency-key': 'after-outage' };
    try {
      const failed = await call(server.url, 'POST', '/admin/payments/process', { json: {}, headers });
      expect(failed.status).toBe(500);
      expect(failed.body).toMatchObject({ error: 'Internal server error' });
    } finally {
      payments.processPayments = original;
    }
    const retried = await call(server.url, 'POST', '/admin/payments/process', { json: {}, headers });
    expect(retried.status).toBe(200);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
  });

  it('forgets keys after 24 hours', async () => {
    await ingest(leadBody({ keys }), 'key-expiring');
    clock.advance(25 * 3600 * 1000);
    const res = await ingest(leadBody({ keys }), 'key-expiring');
    expect(res.status).toBe(200);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
  });
});
