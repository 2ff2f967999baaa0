import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPhone } from '@careos/contract';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, openDatabase, startServer, type PayoutProvider, type RunningServer, type SmsMessage, type SmsProvider } from '../src/index.js';
import { partnerHeaders, BUSINESSOS } from './helpers/app.js';
import { backendNames, createBackend } from './helpers/backends.js';
import { count, query } from './helpers/db.js';
import { openJsonField, sealField } from './helpers/phi.js';
import { call } from './helpers/http.js';
import { leadBody, uniquePhone } from './helpers/leads.js';
import { removeDataDir } from './helpers/data-dir.js';

const partnerEnv = {
  CAREOS_PARTNERS: 'businessos',
  BUSINESSOS_API_KEY: BUSINESSOS.apiKey,
  BUSINESSOS_PHONE_HASH_SALT: BUSINESSOS.salt,
  CAREOS_RATE_LIMIT_LEADS: '100000',
};

/** An SMS provider that records what it was asked to send. */
function recordingSms(): SmsProvider & { sent: SmsMessage[] } {
  const sent: SmsMessage[] = [];
  return { name: 'console', sent, send: async (message) => (sent.push(message), { providerMessageId: `rec-${sent.length}` }) };
}

/** A lead encrypted with whatever key the running server hands out. */
async function ingestWithServerKey(server: RunningServer, phone = uniquePhone()) {
  const key = (await call(server.url, 'GET', '/api/keys/public')).body;
  const body = leadBody({ keys: { publicKeyPem: key.public_key, privateKeyPem: '', keyId: key.key_id }, phone });
  return call(server.url, 'POST', '/api/leads/ingest', { json: body, headers: partnerHeaders(BUSINESSOS, { 'x-careos-key-id': key.key_id }) });
}

describe('embedded data directory', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'careos-data-'));
  });
  afterAll(async () => {
    await removeDataDir(dir);
  });

  it('keeps leads and the development key pair across restarts, and resends SMS a crash left queued', async () => {
    const first = await startServer({ port: 0, dataDir: dir, env: partnerEnv, logger: false });
    const keyBefore = (await call(first.url, 'GET', '/api/keys/public')).body;
    const lead = await ingestWithServerKey(first);
    expect(lead.status).toBe(200);
    await first.app.flush();
    // A message queued by an instance that died mid-send (its lease has not even expired).
    await first.db.rows(sql`
      insert into messages (id, channel, kind, content_enc, language, status, provider, lead_id, user_id, attempts, locked_until, locked_by, created_at)
      values ('msg_orphan0000000000000000000', 'sms', 'welcome', ${sealField(first.app, 'messages.content_enc', JSON.stringify({ to: '+14155550166', body: 'Hi, this is CareOS.' }))},
              'en', 'queued', 'console',
              ${lead.body.careos_lead_id}::text, ${lead.body.careos_user_id}::text, 0, now() + interval '10 minutes', 'dead-instance', now())`);
    await first.close();

    const sms = recordingSms();
    const second = await startServer({ port: 0, dataDir: dir, env: partnerEnv, logger: false, providers: { sms } });
    try {
      await second.app.flush();
      expect(sms.sent.map((m) => ({ id: m.id, to: m.to, body: m.body }))).toEqual([{ id: 'msg_orphan0000000000000000000', to: '+14155550166', body: 'Hi, this is CareOS.' }]);
      const [orphan] = await query<{ status: string; provider_message_id: string }>(second.db, "select * from messages where id = 'msg_orphan0000000000000000000'");
      expect(orphan).toMatchObject({ status: 'sent', provider_message_id: 'rec-1' });
      const keyAfter = (await call(second.url, 'GET', '/api/keys/public')).body;
      expect(keyAfter).toEqual(keyBefore);
      const again = await call(second.url, 'GET', `/api/leads/${lead.body.careos_lead_id}`, { headers: partnerHeaders() });
      expect(again.status).toBe(200);
      expect(again.body.careos_user_id).toBe(lead.body.careos_user_id);
    } finally {
      await second.close();
    }
  });

  it('seeds demo data, writes demo-credentials.json (0600) in the documented shape, and seeds only once', async () => {
    const demoDir = join(dir, 'demo');
    const first = await startServer({ port: 0, dataDir: demoDir, seed: 'demo', env: {}, logger: false });
    let credentials: Record<string, any>;
    try {
      const file = join(demoDir, 'demo-credentials.json');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      credentials = JSON.parse(await readFile(file, 'utf8'));
      expect(credentials).toEqual(first.demoCredentials);
      expect(Object.keys(credentials).sort()).toEqual(['admin', 'integration', 'lookup', 'partner', 'staff']);
      expect(Object.keys(credentials.lookup).sort()).toEqual(['apiKey', 'phones', 'seedApiKey']);
      expect(Object.keys(credentials.integration).sort()).toEqual(['apiKey', 'apiSecret', 'clients', 'coupleId', 'partialCoupleId', 'partnerId', 'therapistId']);
      expect(Object.keys(credentials.integration.clients).sort()).toEqual(['basic', 'full', 'noConsent', 'standard']);
      expect(credentials.integration.therapistId).toBe('550e8400-e29b-41d4-a716-446655440000');
      expect(Object.keys(credentials.partner).sort()).toEqual(['apiKey', 'keyId', 'phoneHashSalt', 'platform', 'publicKeyPem']);
      expect(Object.keys(credentials.admin).sort()).toEqual(['email', 'password']);
      expect(credentials.partner).toMatchObject({ platform: 'businessos', apiKey: expect.stringMatching(/^businessos_test_[0-9A-Za-z]{32}$/) });
      expect(credentials.admin.email).toBe('admin@careos.local');
      expect(credentials.staff).toEqual({ email: 'staff@careos.local', password: expect.any(String) });

      // The credentials work as a partner would use them.
      const phone = uniquePhone();
      const body = { ...leadBody({ keys: { publicKeyPem: credentials.partner.publicKeyPem, privateKeyPem: '', keyId: credentials.partner.keyId }, phone }), user_phone_hash: hashPhone(phone, credentials.partner.phoneHashSalt) };
      const res = await call(first.url, 'POST', '/api/leads/ingest', { json: body, headers: { 'x-api-key': credentials.partner.apiKey, 'x-platform': 'businessos' } });
      expect(res.status).toBe(200);
      const login = await call(first.url, 'POST', '/auth/login', { json: credentials.admin });
      expect(login.status).toBe(200);
      const { apiKey, apiSecret, therapistId } = credentials.integration;
      const token = await call(first.url, 'POST', '/api/integration/auth', { json: { apiKey, apiSecret, therapistId } });
      expect(token.status).toBe(200);
      const lookup = await call(first.url, 'GET', '/api/lookup?phone=%2B3906%202222%204444', { headers: { 'x-api-key': credentials.lookup.apiKey } });
      expect(lookup.body.case_id).toBe('9');
      // The seed's example lead is there, with its payment and message; the curl's test-123 is not.
      const example = await query<{ id: string; content_enc: string; location_city: string }>(first.db, "select * from leads where source_conversation_id = 'bizos-lead-12345'");
      expect(example).toMatchObject([{ location_city: 'San Francisco' }]);
      expect(openJsonField(first.app, 'leads.content_enc', example[0]!.content_enc).user_name).toBe('John Doe');
      expect(await count(first.db, 'partner_payments', 'lead_id = $1', example[0]!.id)).toBe(1);
      expect(await count(first.db, 'messages', 'lead_id = $1', example[0]!.id)).toBe(1);
      expect(await count(first.db, 'leads', "source_conversation_id = 'test-123'")).toBe(0);
    } finally {
      await first.close();
    }

    const second = await startServer({ port: 0, dataDir: demoDir, seed: 'demo', env: {}, logger: false });
    try {
      expect(second.demoCredentials).toEqual(credentials);
      expect(await count(second.db, 'partner_api_keys')).toBe(2);
      expect(await count(second.db, 'staff_users')).toBe(2); // the demo admin and the demo staff member, once each
      expect(await count(second.db, 'leads', "source_conversation_id = 'bizos-lead-12345'")).toBe(1);
      const seedCurl = await call(second.url, 'POST', '/api/leads/ingest', {
        json: { ...leadBody({ keys: { publicKeyPem: credentials.partner.publicKeyPem, privateKeyPem: '', keyId: '' } }), source_conversation_id: 'test-123', user_phone_encrypted: 'base64encryptedphone' },
        headers: { 'x-api-key': 'businessos_live_test123', 'x-platform': 'businessos' },
      });
      expect(seedCurl.status).toBe(400);
      expect(seedCurl.body.error).toBe('Failed to decrypt user data');
    } finally {
      await second.close();
    }
  });
});

describe('startServer', () => {
  it('keeps the demo credentials in memory only for an in-memory database', async () => {
    const server = await startServer({ port: 0, dataDir: 'memory', seed: 'demo', env: { CAREOS_ADMIN_EMAIL: 'boss@careos.test', CAREOS_ADMIN_PASSWORD: 'a long password' }, logger: false });
    try {
      expect(server.db.dataDir).toBeNull();
      expect(server.demoCredentials!.admin).toEqual({ email: 'boss@careos.test', password: 'a long password' });
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      // The demo offers the sandbox calendar, at the address the server listens at.
      const login = await call(server.url, 'POST', '/auth/login', { json: { email: 'boss@careos.test', password: 'a long password' } });
      const connect = await call(server.url, 'GET', '/calendar/sandbox/connect', { headers: { authorization: `Bearer ${login.body.access_token as string}` } });
      expect(connect.body.authUrl).toMatch(new RegExp(`^${server.url}/sandbox/calendar/oauth/authorize\\?`));
    } finally {
      await server.close();
    }
  });

  it('fails fast with every configuration problem listed', async () => {
    const error = await startServer({ port: 0, dataDir: null, logger: false, env: { CAREOS_PARTNERS: 'businessos', CAREOS_RATE_LIMIT_LEADS: 'lots' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(
      expect.arrayContaining([expect.stringContaining('BUSINESSOS_API_KEY'), expect.stringContaining('PHONE_HASH_SALT'), expect.stringContaining('CAREOS_RATE_LIMIT_LEADS')]),
    );
  });

  it('finishes a request in flight when closed, answering it with Connection: close, and refuses new connections meanwhile', async () => {
    let release: (() => void) | null = null;
    const payouts: PayoutProvider = {
      name: 'ledger',
      pay: async (request) => {
        await new Promise<void>((resolve) => (release = resolve));
        return { reference: `ledger_${request.payoutId}` };
      },
    };
    const admin = { CAREOS_ADMIN_EMAIL: 'ops@careos.test', CAREOS_ADMIN_PASSWORD: 'correct horse battery' };
    const server = await startServer({ port: 0, dataDir: null, logger: false, providers: { payouts }, env: { ...partnerEnv, ...admin, CAREOS_MIN_PAYOUT: '1' } });
    const lead = await ingestWithServerKey(server);
    expect(lead.status).toBe(200);
    const token = (await call(server.url, 'POST', '/auth/login', { json: { email: admin.CAREOS_ADMIN_EMAIL, password: admin.CAREOS_ADMIN_PASSWORD } })).body.access_token;
    const inFlight = call(server.url, 'POST', '/admin/payments/process', {
      json: { as_of: new Date(Date.now() + 40 * 24 * 3600 * 1000).toISOString() },
      headers: { authorization: `Bearer ${token}` },
    });
    await expect.poll(() => release !== null, { timeout: 10_000 }).toBe(true);
    const closing = server.close();
    // The listener closes once connections already waiting have been taken in.
    await expect.poll(() => call(server.url, 'GET', '/health').then(() => 'answered', () => 'refused'), { timeout: 5000 }).toBe('refused');
    release!();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.headers.connection).toBe('close');
    expect(res.body.payouts).toHaveLength(1);
    await closing;
  });
});

describe.each(backendNames().filter((b) => b === 'postgres'))('PostgreSQL start-up (%s)', (backendName) => {
  it('migrates once when several instances start together', async () => {
    const backend = await createBackend(backendName);
    try {
      const dbs = await Promise.all(Array.from({ length: 4 }, () => openDatabase({ databaseUrl: backend.databaseUrl! })));
      const rows = await dbs[0]!.rows<{ n: number }>(sql`select count(*)::int as n from careos_migrations`);
      expect(Number(rows[0]!.n)).toBeGreaterThan(0);
      for (const db of dbs) await db.close();
    } finally {
      await backend.dispose();
    }
  });

  // The rows are written as a version before field encryption wrote them (plaintext), so this
  // also checks that they are encrypted at start and still sent.
  it('resends messages whose lease lapsed or whose instance is dead, not those of a live instance', async () => {
    const backend = await createBackend(backendName);
    const sms = recordingSms();
    let server: RunningServer | undefined;
    try {
      const db = await backend.open();
      // 'alive' heartbeats; 'silent' stopped a minute ago; 'gone' has no row at all.
      await db.rows(sql`insert into instances (id, started_at, heartbeat_at) values ('alive', now(), now()), ('silent', now() - interval '1 hour', now() - interval '1 minute')`);
      await db.rows(sql`
        insert into messages (id, channel, kind, to_e164, body, language, status, provider, attempts, locked_until, locked_by, created_at)
        values ('msg_lapsed000000000000000000', 'sms', 'welcome', '+14155550177', 'Hi', 'en', 'queued', 'console', 0, now() - interval '1 minute', 'gone', now()),
               ('msg_leased000000000000000000', 'sms', 'welcome', '+14155550178', 'Hi', 'en', 'queued', 'console', 0, now() + interval '5 minutes', 'alive', now()),
               ('msg_silent000000000000000000', 'sms', 'welcome', '+14155550179', 'Hi', 'en', 'queued', 'console', 0, now() + interval '5 minutes', 'silent', now())`);
      server = await startServer({ port: 0, databaseUrl: backend.databaseUrl!, env: partnerEnv, logger: false, providers: { sms } });
      await server.app.flush();
      expect(sms.sent.map((m) => ({ id: m.id, to: m.to })).sort((x, y) => x.id.localeCompare(y.id))).toEqual([
        { id: 'msg_lapsed000000000000000000', to: '+14155550177' },
        { id: 'msg_silent000000000000000000', to: '+14155550179' },
      ]);
      expect(await count(server.db, 'messages', 'to_e164 is not null or body is not null')).toBe(0);
    } finally {
      await server?.close();
      await backend.dispose();
    }
  });
});

