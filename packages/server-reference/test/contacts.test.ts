import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { query } from './helpers/db.js';
import { call, type TestResponse } from './helpers/http.js';
import { adminHeaders, INTEGRATION_ADMIN } from './helpers/integration.js';
import { generateTestKeys } from './helpers/keys.js';
import { uniquePhone } from './helpers/leads.js';

const keys = generateTestKeys();

/** `+14155550123` written the ways people write it. */
function phoneFormats(e164: string): string[] {
  const national = e164.slice(2);
  return [e164, `+1 ${national.slice(0, 3)} ${national.slice(3, 6)} ${national.slice(6)}`, `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`, `001${national}`, national];
}

describe.each(backendNames())('contacts (%s)', (backendName) => {
  let backend: TestBackend;
  let server: TestApp;
  let db: Database;
  let admin: Record<string, string>;
  let staff: Record<string, string>;
  let keyCounter = 0;

  const api = (method: string, path: string, headers: Record<string, string>, json?: unknown): Promise<TestResponse> =>
    call(server.url, method, path, { headers: method === 'POST' ? { ...headers, 'idempotency-key': `contacts-${++keyCounter}` } : headers, ...(json === undefined ? {} : { json }) });
  const create = async (body: Record<string, unknown>, headers = staff) => {
    const res = await api('POST', '/contacts', headers, body);
    expect(res.status, res.text).toBe(201);
    return res.body.contact as Record<string, unknown> & { id: string };
  };
  const ids = (res: TestResponse) => (res.body.contacts as { id: string }[]).map((c) => c.id);

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, env: testEnv({ keys, extra: INTEGRATION_ADMIN }) });
    admin = await adminHeaders(server);
    await server.app.services.staff.create({ email: 'coordinator@careos.test', password: 'staff password 1', name: 'Coordinator', role: 'staff' });
    const login = await call(server.url, 'POST', '/auth/login', { json: { email: 'coordinator@careos.test', password: 'staff password 1' } });
    staff = { authorization: `Bearer ${login.body.access_token}` };
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  it('creates a contact: phone in E.164, email lower-cased, source manual, and reads it back', async () => {
    const phone = uniquePhone();
    const contact = await create({ name: ' Ada Lovelace ', phone: phoneFormats(phone)[2], email: 'Ada@Example.COM', notes: 'Call after lunch' });
    expect(contact).toMatchObject({ name: 'Ada Lovelace', phone, email: 'ada@example.com', notes: 'Call after lunch', language: 'en', source: 'manual', automation_paused: false });
    expect(contact.id).toMatch(/^user_/);
    const got = await api('GET', `/contacts/${contact.id}`, staff);
    expect(got.status).toBe(200);
    expect(got.body.contact).toEqual(contact);
  });

  it('creates a contact with an email and no phone (no welcome message)', async () => {
    const res = await api('POST', '/contacts', staff, { name: 'Email Only', email: `only-${keyCounter}@example.org` });
    expect(res.status).toBe(201);
    expect(res.body.welcome_message_id).toBeNull();
    expect(res.body.contact.phone).toBeNull();
  });

  it('refuses bad input with the 400 envelope', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ phone: uniquePhone() }, 'name'],
      [{ name: 'No Way To Reach' }, 'phone'],
      [{ name: 'Bad Email', email: 'not-an-email' }, 'email'],
      [{ name: 'Bad Phone', phone: '12' }, 'phone'],
      [{ name: 'x'.repeat(201), phone: uniquePhone() }, 'name'],
      [{ name: 'Bad Language', phone: uniquePhone(), language: 'english please' }, 'language'],
    ];
    for (const [body, path] of cases) {
      const res = await api('POST', '/contacts', staff, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.details.map((d: { path: string }) => d.path)).toContain(path);
      expect(res.text).not.toContain('12"');
    }
    const contact = await create({ name: 'Valid', phone: uniquePhone() });
    expect((await api('PATCH', `/contacts/${contact.id}`, staff, {})).status).toBe(400);
    expect((await api('PATCH', `/contacts/${contact.id}`, staff, { phone: null })).status).toBe(400);
    expect((await api('GET', '/contacts?limit=0', staff)).status).toBe(400);
    expect((await api('GET', '/contacts?cursor=bm9wZQ', staff)).status).toBe(400);
    expect((await api('GET', '/contacts?phone=abc', staff)).status).toBe(400);
  });

  it('searches by phone in any common format, by email without case, by whole name words', async () => {
    const phone = uniquePhone();
    const target = await create({ name: 'Józef Wiśniewski-Kowalski', phone, email: `jozef.${keyCounter}@example.com` });
    await create({ name: 'Józef Nowak', phone: uniquePhone() });
    for (const format of phoneFormats(phone)) {
      const res = await api('GET', `/contacts?phone=${encodeURIComponent(format)}`, staff);
      expect(ids(res), format).toEqual([target.id]);
    }
    expect(ids(await api('GET', `/contacts?email=${encodeURIComponent(String(target.email).toUpperCase())}`, staff))).toEqual([target.id]);
    expect(ids(await api('GET', `/contacts?name=${encodeURIComponent('kowalski JOZEF')}`, staff))).toEqual([target.id]);
    expect(ids(await api('GET', '/contacts?name=wisniewski', staff))).toEqual([target.id]);
    expect(ids(await api('GET', '/contacts?name=jozef', staff))).toHaveLength(2);
    // Whole words only: a prefix finds nothing (see decisions: no prefix tokens).
    expect(ids(await api('GET', '/contacts?name=kowal', staff))).toEqual([]);
    expect(ids(await api('GET', '/contacts?name=---', staff))).toEqual([]);
    expect(ids(await api('GET', `/contacts?name=jozef&phone=${encodeURIComponent(phone)}`, staff))).toEqual([target.id]);
  });

  it('filters by source and pages newest first with next_cursor', async () => {
    const source = await query<{ n: number }>(db, "select count(*)::int as n from users where source = 'manual' and deleted_at is null");
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: TestResponse = await api('GET', `/contacts?source=manual&limit=2${cursor ? `&cursor=${cursor}` : ''}`, staff);
      expect(res.status).toBe(200);
      expect(res.body.contacts.length).toBeLessThanOrEqual(2);
      for (const c of res.body.contacts) expect(c.source).toBe('manual');
      seen.push(...ids(res));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(source[0]!.n);
    expect([...seen].sort().reverse()).toEqual(seen);
    expect(ids(await api('GET', '/contacts?source=nobody_referral', staff))).toEqual([]);
  });

  it('updates fields, clears notes, pauses automation; a phone of another contact is 409', async () => {
    const other = await create({ name: 'Other Person', phone: uniquePhone() });
    const contact = await create({ name: 'Grace Hopper', phone: uniquePhone(), notes: 'old note' });
    const newPhone = uniquePhone();
    const res = await api('PATCH', `/contacts/${contact.id}`, staff, { name: 'Grace B. Hopper', phone: newPhone, email: 'grace@example.com', notes: null, language: 'es', automation_paused: true });
    expect(res.status).toBe(200);
    expect(res.body.contact).toMatchObject({ id: contact.id, name: 'Grace B. Hopper', phone: newPhone, email: 'grace@example.com', notes: null, language: 'es', automation_paused: true, created_at: contact.created_at });
    expect(res.body.contact.updated_at >= String(contact.created_at)).toBe(true);
    expect(ids(await api('GET', `/contacts?phone=${encodeURIComponent(newPhone)}`, staff))).toEqual([contact.id]);
    expect(ids(await api('GET', `/contacts?phone=${encodeURIComponent(String(contact.phone))}`, staff))).toEqual([]);
    const taken = await api('PATCH', `/contacts/${contact.id}`, staff, { phone: other.phone });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'CONTACT_EXISTS', error: 'A contact with this phone number already exists' });
    expect(taken.body.message).toContain(other.id);
    expect((await api('PATCH', '/contacts/user_missing', staff, { name: 'X' })).status).toBe(404);
  });

  it('deletes for admins only: staff get 403; then the contact is gone from get and list, its details erased', async () => {
    const phone = uniquePhone();
    const contact = await create({ name: 'Delete Me', phone, email: 'delete.me@example.com' });
    const denied = await api('DELETE', `/contacts/${contact.id}`, staff);
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('FORBIDDEN');
    const deleted = await api('DELETE', `/contacts/${contact.id}`, admin);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ id: contact.id, deleted: true });
    expect((await api('GET', `/contacts/${contact.id}`, staff)).status).toBe(404);
    expect((await api('PATCH', `/contacts/${contact.id}`, staff, { name: 'Back' })).status).toBe(404);
    expect((await api('DELETE', `/contacts/${contact.id}`, admin)).status).toBe(404);
    expect(ids(await api('GET', '/contacts?limit=100', staff))).not.toContain(contact.id);
    expect(ids(await api('GET', '/contacts?name=delete', staff))).toEqual([]);
    const [row] = await query<Record<string, unknown>>(db, `select profile_enc, phone_bidx, email_bidx, name_tokens, deleted_at from users where id = '${contact.id}'`);
    expect(row).toMatchObject({ profile_enc: null, phone_bidx: null, email_bidx: null, name_tokens: [] });
    expect(row!.deleted_at).not.toBeNull();
    // The phone is free again: a new contact may have it.
    expect((await create({ name: 'New Owner', phone })).id).not.toBe(contact.id);
  });

  it('audits contact calls by id, with no PHI in the audit rows', async () => {
    const contact = await create({ name: 'Audit Subject Person', phone: uniquePhone(), email: 'audit.subject@example.com' });
    await server.app.flush();
    const rows = await query<Record<string, unknown>>(db, `select * from audit_log where subject_id = '${contact.id}'`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toMatchObject({ subject_type: 'contact' });
    const text = JSON.stringify(rows);
    for (const needle of ['Audit Subject', 'audit.subject', String(contact.phone).slice(2)]) expect(text).not.toContain(needle);
  });
});
