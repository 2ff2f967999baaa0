import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
// The contrib extension the migrations create, as the server's database thread loads it.
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { hash as argonHash } from '@node-rs/argon2';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataKey, LEGACY_DATA_KEY_SETTING } from '../src/crypto/data-key.js';
import { MIGRATIONS, migrationsFolder } from '../src/db/migrate.js';
import { openDatabase, type Database } from '../src/index.js';
import { PHI_CONVERSIONS, sourceColumns } from '../src/services/phi-migration.js';
import { partnerHeaders, startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { count, query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';
import { lookupPost } from './helpers/lookup.js';
import { openField, openJsonField, phoneToken } from './helpers/phi.js';

/** The data key the earlier version generated and kept in `settings` for webhook secrets, in the form it wrote them. */
const LEGACY_KEY = DataKey.generate();

const keys = generateTestKeys();
/** The last migration before field encryption: the database an earlier version left. */
const LAST_PLAINTEXT_MIGRATION = 4;
const STAFF_PASSWORD = 'old version password';

/** The rows an earlier version wrote, PHI in clear. */
const OLD = {
  phone: '+14155550111',
  name: 'Ottavia Pennywhistle',
  message: 'My father Bartholomew needs dialysis transport',
  detail: 'Bartholomew is blind in one eye',
  sms: 'Hi Ottavia, this is CareOS.',
  patientName: 'Leopoldo Castellammare',
  patientPhone: '+39 06 5555 0222',
  patientPhoneE164: '+390655550222',
  patientEmail: 'leopoldo.c@example.org',
  disposition: 'Only speaks to his daughter',
  staffEmail: 'old.admin@careos.test',
  staffName: 'Ambrose Oldversion',
  clientFirst: 'Clementine',
  clientLast: 'Harrowgate',
  journal: 'I felt hopeless after the argument',
  taskNotes: 'Ask about the custody hearing',
  alert: 'Clementine reported a panic attack',
  report: 'Clementine skipped three check-ins',
  webhookBody: 'Clementine reported a panic attack (webhook)',
  idempotentBody: 'Leopoldo Castellammare (stored response)',
};

/** A copy of the migrations folder as an earlier version shipped it. */
async function plaintextMigrations(dir: string): Promise<string> {
  const folder = join(dir, 'drizzle-old');
  await cp(migrationsFolder(), folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((entry) => entry.idx <= LAST_PLAINTEXT_MIGRATION);
  await writeFile(journalPath, JSON.stringify(journal));
  return folder;
}

/** The old version's rows, written as it wrote them. */
async function oldRows(): Promise<string> {
  const passwordHash = await argonHash(STAFF_PASSWORD);
  const q = (value: string) => `'${value.replaceAll("'", "''")}'`;
  return `
    insert into partners (id, platform, name, phone_hash_salt, created_at, updated_at)
      values ('ptn_old0000000000000000000000', 'businessos', 'BusinessOS', 'old-salt', now(), now());
    insert into users (id, phone_e164, name, language, source, created_at)
      values ('user_old000000000000000000000', ${q(OLD.phone)}, ${q(OLD.name)}, 'en', 'businessos_referral', now());
    insert into leads (id, partner_id, source_platform, source_conversation_id, request_fingerprint, user_id, is_new_user, user_name, user_language,
                       category, category_raw, original_message, details, consent_timestamp, value_cents, status, created_at)
      values ('lead_old000000000000000000000', 'ptn_old0000000000000000000000', 'businessos', 'old-conv-1', 'fp', 'user_old000000000000000000000', true,
              ${q(OLD.name)}, 'en', 'home_health', 'nursing', ${q(OLD.message)}, ${q(JSON.stringify({ notes: OLD.detail }))}::jsonb, now(), 1500, 'new', now());
    insert into messages (id, channel, kind, to_e164, body, language, status, provider, lead_id, user_id, attempts, created_at, sent_at)
      values ('msg_old0000000000000000000000', 'sms', 'welcome', ${q(OLD.phone)}, ${q(OLD.sms)}, 'en', 'sent', 'console',
              'lead_old000000000000000000000', 'user_old000000000000000000000', 1, now(), now());
    insert into patients (id, name, phone, phone_e164, email, user_id, created_at)
      values (5000, ${q(OLD.patientName)}, ${q(OLD.patientPhone)}, ${q(OLD.patientPhoneE164)}, ${q(OLD.patientEmail)}, null, now());
    insert into cases (id, patient_id, status, clinic, disposition, outcome, created_at)
      values (5000, 5000, 'NUOVO', 'Centro Medico', ${q(OLD.disposition)}, null, now());
    insert into staff_users (id, email, name, password_hash, role, created_at)
      values ('staff_old00000000000000000000', ${q(OLD.staffEmail)}, ${q(OLD.staffName)}, ${q(passwordHash)}, 'admin', now());
    insert into therapists (id, first_name, last_name, email, created_at) values ('thr_old000000000000000000000', 'Theo', 'Oldcastle', 'theo@example.org', now());
    insert into clients (id, first_name, last_name, email, created_at) values ('cli_old000000000000000000000', ${q(OLD.clientFirst)}, ${q(OLD.clientLast)}, 'clem@example.org', now());
    insert into journal_entries (id, client_id, text, therapist_hidden, created_at) values ('jrnl_old00000000000000000000', 'cli_old000000000000000000000', ${q(OLD.journal)}, false, now());
    insert into client_tasks (id, client_id, therapist_id, description, activities, notes, priority, status, created_at)
      values ('task_old00000000000000000000', 'cli_old000000000000000000000', 'thr_old000000000000000000000', 'Weekly check-in', '[]', ${q(OLD.taskNotes)}, 'low', 'pending', now());
    insert into therapist_alerts (id, therapist_id, client_id, alert_type, severity, message, metadata, created_at)
      values ('talrt_old0000000000000000000', 'thr_old000000000000000000000', 'cli_old000000000000000000000', 'RISK', 'HIGH', ${q(OLD.alert)}, '{}', now());
    insert into assessments (id, client_id, type, score, responses, completed_at)
      values ('asmt_old00000000000000000000', 'cli_old000000000000000000000', 'GAD7', '{"total": 12}', '{"q1": "often"}', now());
    insert into session_prep_reports (id, therapist_id, client_id, report, created_at)
      values ('rpt_old000000000000000000000', 'thr_old000000000000000000000', 'cli_old000000000000000000000', ${q(JSON.stringify({ generatedSummary: OLD.report }))}::jsonb, now());
    insert into settings (key, value, updated_at) values ('${LEGACY_DATA_KEY_SETTING}', ${q(LEGACY_KEY.toBase64())}, now());
    insert into webhook_endpoints (id, owner_kind, owner_id, therapist_id, url, events, secret_ciphertext, created_at, updated_at, disabled_at)
      values ('whep_old000000000000000000000', 'integration', 'ipt_old', 'thr_old000000000000000000000', 'http://127.0.0.1:9/old', '["alert.created"]',
              ${q(LEGACY_KEY.encrypt('whsec_old', 'webhook_endpoint:whep_old000000000000000000000'))}, now(), now(), now());
    insert into webhook_deliveries (id, endpoint_id, event_type, body, status, attempts, created_at)
      values ('whmsg_old0000000000000000000', 'whep_old000000000000000000000', 'alert.created', ${q(JSON.stringify({ message: OLD.webhookBody }))}, 'failed', 5, now());
    insert into idempotency_keys (scope, key, fingerprint, state, response_status, response_body, locked_at, expires_at, created_at)
      values ('staff:staff_old00000000000000000000', 'old-key', 'fp', 'completed', 201, ${q(JSON.stringify({ patient: { name: OLD.idempotentBody } }))}::jsonb, now(), now() + interval '1 day', now());`;
}

describe.each(backendNames())('plaintext PHI left by an earlier version (%s)', (backendName) => {
  let dir: string;
  let backend: TestBackend | undefined;
  let db: Database;
  let servers: TestApp[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'careos-phi-migration-'));
    const folder = await plaintextMigrations(dir);
    const rows = await oldRows();
    if (backendName === 'pglite') {
      const dataDir = join(dir, 'data');
      const old = new PGlite(dataDir, { extensions: { btree_gist } });
      await migratePglite(drizzlePglite({ client: old }), { migrationsFolder: folder, ...MIGRATIONS });
      await old.exec(rows);
      await old.close();
      db = await openDatabase({ dataDir });
    } else {
      backend = await createBackend(backendName);
      const old = postgres(backend.databaseUrl!, { max: 1, onnotice: () => {} });
      await migratePostgres(drizzlePostgres({ client: old }), { migrationsFolder: folder, ...MIGRATIONS });
      await old.unsafe(rows);
      await old.end({ timeout: 5 });
      db = await backend.open();
    }
    // Two instances start together on the old data (on PostgreSQL each with its own pool).
    const second = backendName === 'postgres' ? await backend!.open() : db;
    servers = await Promise.all([startApp({ db, env: testEnv({ keys }) }), startApp({ db: second, env: testEnv({ keys }) })]);
  }, 120_000);

  afterAll(async () => {
    for (const server of servers) await server.close();
    await db?.close();
    await backend?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('empties every plaintext column and keeps no old value anywhere in the tables', async () => {
    for (const spec of PHI_CONVERSIONS) {
      expect(await count(db, spec.table, sourceColumns(spec).map((c) => `"${c}" is not null`).join(' or ')), spec.table).toBe(0);
    }
    const tables = await query<{ name: string }>(db, "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'");
    let text = '';
    for (const { name } of tables) text += (await query<{ row: string }>(db, `select t::text as row from "${name}" t`)).map((r) => r.row).join('\n');
    expect(Object.values(OLD).filter((value) => text.includes(value))).toEqual([]);
    expect(text).toContain('old-conv-1');
  });

  it('reads the converted rows back through the API: lead, lookup by phone, staff login by email, messages', async () => {
    const [server] = servers;
    const lead = await call(server!.url, 'GET', '/api/leads/lead_old000000000000000000000', { headers: partnerHeaders() });
    expect(lead.body).toMatchObject({ user_name: OLD.name, original_message: OLD.message, ai_extracted_details: { notes: OLD.detail } });

    const login = await call(server!.url, 'POST', '/auth/login', { json: { email: OLD.staffEmail.toUpperCase(), password: STAFF_PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ email: OLD.staffEmail, name: OLD.staffName });
    const admin = { authorization: `Bearer ${login.body.access_token}` };

    const messages = await call(server!.url, 'GET', '/admin/messages?lead_id=lead_old000000000000000000000', { headers: admin });
    expect(messages.body.messages).toMatchObject([{ body: OLD.sms, to_masked: expect.stringMatching(/11$/) }]);

    const key = await call(server!.url, 'POST', '/admin/lookup/keys', { headers: admin, json: { name: 'migration test', environment: 'test' } });
    const popped = await lookupPost(server!, OLD.patientPhone, { 'x-api-key': key.body.api_key });
    expect(popped.body).toMatchObject({ found: true, case_id: '5000', patient: { name: OLD.patientName, phone: OLD.patientPhone, email: OLD.patientEmail }, case: { disposition: OLD.disposition } });
  });

  it('indexes and seals the old values as new rows are', async () => {
    const [server] = servers;
    const [user] = await query<{ phone_bidx: string; profile_enc: string }>(db, "select phone_bidx, profile_enc from users where id = 'user_old000000000000000000000'");
    expect(user!.phone_bidx).toBe(phoneToken(server!.app, OLD.phone));
    expect(openJsonField(server!.app, 'users.profile_enc', user!.profile_enc)).toEqual({ phone: OLD.phone, name: OLD.name });
    const [journal] = await query<{ text_enc: string }>(db, "select text_enc from journal_entries where id = 'jrnl_old00000000000000000000'");
    expect(openField(server!.app, 'journal_entries.text_enc', journal!.text_enc)).toBe(OLD.journal);
    const [stored] = await query<{ response_body_enc: string }>(db, "select response_body_enc from idempotency_keys where key = 'old-key'");
    expect(JSON.parse(openField(server!.app, 'idempotency_keys.response_body_enc', stored!.response_body_enc)!)).toEqual({ patient: { name: OLD.idempotentBody } });
  });
});
