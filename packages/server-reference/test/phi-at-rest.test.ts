import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/index.js';
import { partnerHeaders, startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { adminHeaders, INTEGRATION_ADMIN, integrationToken, withToken } from './helpers/integration.js';
import { generateTestKeys } from './helpers/keys.js';
import { leadBody, uniquePhone } from './helpers/leads.js';
import { lookupPost } from './helpers/lookup.js';
import { removeDataDir } from './helpers/data-dir.js';

const keys = generateTestKeys();
const exec = promisify(execFile);

/** Every way a phone could sit in storage: E.164, as entered, digits only, national digits. */
function phoneForms(e164: string, entered: string): string[] {
  const digits = e164.slice(1);
  return [e164, entered, digits, digits.slice(e164.startsWith('+1') ? 1 : 2)];
}

/** Every file under `dir`, as bytes. */
async function filesUnder(dir: string): Promise<{ path: string; bytes: Buffer }[]> {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.push({ path, bytes: await readFile(path) });
  }
  return out;
}

/** The text of every row of every table, as PostgreSQL prints a row. */
async function everyRow(db: Database): Promise<string> {
  const tables = await query<{ name: string }>(db, "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1");
  const parts: string[] = [];
  for (const { name } of tables) {
    const rows = await query<{ row: string }>(db, `select t::text as row from "${name}" t`);
    parts.push(`${name}:`, ...rows.map((r) => r.row));
  }
  return parts.join('\n');
}

/** The needles found in `haystack`, for a readable failure. */
const found = (needles: string[], haystack: string | Buffer) => {
  const bytes = typeof haystack === 'string' ? Buffer.from(haystack, 'utf8') : haystack;
  return needles.filter((needle) => bytes.includes(Buffer.from(needle, 'utf8')));
};

describe.each(backendNames())('PHI at rest (%s)', (backendName) => {
  let backend: TestBackend | undefined;
  let dataDir: string | undefined;
  let db: Database;
  let server: TestApp;
  const leadPhone = uniquePhone();
  const leadPhoneEntered = `(${leadPhone.slice(2, 5)}) ${leadPhone.slice(5, 8)}-${leadPhone.slice(8)}`;
  const secrets = {
    leadName: 'Quentin Marlowe-Haversham',
    leadMessage: 'My mother Ottilie fell on the stairs on Tuesday and needs a night carer',
    leadDetail: 'Ottilie takes warfarin',
    patientName: 'Seraphina Voltaggio',
    patientEmail: 'seraphina.voltaggio@example.org',
    disposition: 'Asked us not to call before noon',
    outcome: 'Diabetic, insulin twice daily',
    clientFirst: 'Wilhelmina',
    clientLast: 'Fairweather-Quist',
    clientEmail: 'wilhelmina.fq@example.org',
    alertMessage: 'Wilhelmina described thoughts of self-harm',
    taskNotes: 'Revisit the argument about her sister',
    contactName: 'Evangeline Throckmorton',
    contactEmail: 'evangeline.throckmorton@example.org',
    contactNotes: 'Hard of hearing: speak slowly',
  };
  const contactPhone = { e164: '+14155550987', entered: '(415) 555-0987' };
  const patientPhone = { e164: '+390655550101', entered: '+39 06 5555 0101' };
  const patientCell = { e164: '+393205550199', entered: '+39 320 555 0199' };
  const needles = [
    ...Object.values(secrets),
    ...phoneForms(leadPhone, leadPhoneEntered),
    ...phoneForms(patientPhone.e164, patientPhone.entered),
    ...phoneForms(patientCell.e164, patientCell.entered),
    ...phoneForms(contactPhone.e164, contactPhone.entered),
    // The name's words as search would see them, in case anything stored them in clear.
    'evangeline',
    'throckmorton',
  ];

  beforeAll(async () => {
    if (backendName === 'pglite') {
      dataDir = await mkdtemp(join(tmpdir(), 'careos-phi-'));
      db = await openDatabase({ dataDir });
    } else {
      backend = await createBackend(backendName);
      db = await backend.open();
    }
    server = await startApp({ db, env: testEnv({ keys, extra: INTEGRATION_ADMIN }) });
    const demo = await server.app.seedDemo();
    const admin = await adminHeaders(server);

    // A lead (welcome SMS sent), a lookup case and a lookup, an integration client with an alert
    // (queued to a webhook) and a task: each through the API, as a partner or admin sends them.
    const lead = await call(server.url, 'POST', '/api/leads/ingest', {
      json: leadBody({ keys, phone: leadPhoneEntered, hashOf: leadPhone }, { user_name: secrets.leadName, original_message: secrets.leadMessage, ai_extracted_details: { notes: secrets.leadDetail } }),
      headers: partnerHeaders(),
    });
    expect(lead.status).toBe(200);
    const created = await call(server.url, 'POST', '/admin/lookup/cases', {
      headers: { ...admin, 'idempotency-key': 'phi-case-1' },
      json: {
        patient: { name: secrets.patientName, phone: patientPhone.entered, cell_phone: patientCell.entered, email: secrets.patientEmail },
        status: 'NUOVO',
        disposition: secrets.disposition,
        outcome: secrets.outcome,
      },
    });
    expect(created.status).toBe(201);
    const client = await call(server.url, 'POST', '/admin/integration/clients', {
      headers: { ...admin, 'idempotency-key': 'phi-client-1' },
      json: { first_name: secrets.clientFirst, last_name: secrets.clientLast, email: secrets.clientEmail },
    });
    expect(client.status).toBe(201);
    const clientId = client.body.client.id as string;
    const therapistId = demo.integration.therapistId;
    expect((await call(server.url, 'POST', '/admin/integration/links', { headers: admin, json: { therapist_id: therapistId, client_id: clientId, permission_level: 'FULL' } })).status).toBe(201);
    const api = withToken(server, await integrationToken(server, demo.integration));
    const hook = await api('POST', '/api/integration/webhook/register', { json: { webhookUrl: 'http://127.0.0.1:9/phi-hook', events: ['alert.created'] } });
    expect(hook.status).toBe(200);
    const alert = await call(server.url, 'POST', '/admin/integration/alerts', {
      headers: admin,
      json: { therapist_id: therapistId, client_id: clientId, alert_type: 'RISK', severity: 'HIGH', message: secrets.alertMessage, metadata: {} },
    });
    expect(alert.body.webhooks_queued).toBe(1);
    const task = await api('POST', `/api/integration/clients/${clientId}/assign`, { json: { taskDescription: 'Weekly check-in', notes: secrets.taskNotes }, headers: { 'idempotency-key': 'phi-task-1' } });
    expect(task.status).toBe(201);
    // A contact staff add (welcome SMS sent), then searched for: only blind indexes are stored.
    const contact = await call(server.url, 'POST', '/contacts', {
      headers: { ...admin, 'idempotency-key': 'phi-contact-1' },
      json: { name: secrets.contactName, phone: contactPhone.entered, email: secrets.contactEmail, notes: secrets.contactNotes },
    });
    expect(contact.status).toBe(201);
    const searched = await call(server.url, 'GET', `/contacts?name=throckmorton&email=${encodeURIComponent(secrets.contactEmail)}`, { headers: admin });
    expect(searched.body.contacts).toMatchObject([{ id: contact.body.contact.id, name: secrets.contactName, phone: contactPhone.e164, notes: secrets.contactNotes }]);
    await server.app.flush();

    // What was stored reads back unchanged through the API.
    const stored = await call(server.url, 'GET', `/api/leads/${lead.body.careos_lead_id}`, { headers: partnerHeaders() });
    expect(stored.body).toMatchObject({ user_name: secrets.leadName, original_message: secrets.leadMessage, ai_extracted_details: { notes: secrets.leadDetail } });
    const popped = await lookupPost(server, patientCell.entered, { 'x-api-key': demo.lookup.apiKey });
    expect(popped.body).toMatchObject({ found: true, patient: { name: secrets.patientName, phone: patientPhone.entered, email: secrets.patientEmail }, case: { outcome: secrets.outcome } });
    const sms = await call(server.url, 'GET', `/admin/messages?lead_id=${lead.body.careos_lead_id}`, { headers: admin });
    expect(sms.body.messages).toMatchObject([{ status: 'sent', body: expect.stringContaining('Quentin'), to_masked: expect.stringMatching(/\d{2}$/) }]);
    const replayed = await call(server.url, 'POST', '/admin/integration/clients', {
      headers: { ...admin, 'idempotency-key': 'phi-client-1' },
      json: { first_name: secrets.clientFirst, last_name: secrets.clientLast, email: secrets.clientEmail },
    });
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body).toEqual(client.body);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await db?.close();
    await backend?.dispose();
    if (dataDir) await removeDataDir(dataDir);
  });

  it('keeps no plaintext phone, name, email or message in any row of any table', async () => {
    const rows = await everyRow(db);
    // The check can fail: the encrypted rows are there, and a needle planted in clear is found.
    expect(rows).toMatch(/v1\.[0-9a-f]{8}\./);
    expect(found(needles, `${rows}\n${secrets.leadName}`)).toEqual([secrets.leadName]);
    expect(found(needles, rows)).toEqual([]);
  });

  it('keeps them out of the logs too', () => {
    expect(found(needles, server.logs.join('\n'))).toEqual([]);
  });

  it.runIf(backendName === 'postgres')('leaves none of them in a pg_dump of the database', async () => {
    const { stdout } = await exec('/usr/bin/pg_dump', ['--no-owner', backend!.databaseUrl!], { maxBuffer: 256 * 1024 * 1024 });
    expect(stdout).toContain('COPY public.patients');
    expect(found(needles, stdout)).toEqual([]);
  });

  it.runIf(backendName === 'pglite')('leaves none of them in the bytes of the data directory', async () => {
    await server.close();
    await db.close();
    const files = await filesUnder(dataDir!);
    expect(files.length).toBeGreaterThan(100);
    // The directory does hold the data: the demo's lookup key prefix and a known id are in it.
    expect(files.some((f) => f.bytes.includes(Buffer.from('lookup_test_', 'utf8')))).toBe(true);
    const leaks = files.flatMap((f) => found(needles, f.bytes).map((needle) => `${f.path}: ${needle}`));
    expect(leaks).toEqual([]);
  });
});
