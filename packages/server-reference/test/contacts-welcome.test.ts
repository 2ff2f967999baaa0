import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import type { SmsMessage, SmsProvider } from '../src/providers/types.js';
import { partnerHeaders, startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { adminHeaders, INTEGRATION_ADMIN } from './helpers/integration.js';
import { generateTestKeys } from './helpers/keys.js';
import { leadBody, uniquePhone } from './helpers/leads.js';

const keys = generateTestKeys();

/** An SMS provider that records what it is given and refuses the numbers in `failing`. */
function recordingProvider() {
  const sent: SmsMessage[] = [];
  const failing = new Set<string>();
  const provider: SmsProvider = {
    name: 'recording',
    async send(message) {
      sent.push(message);
      if (failing.has(message.to)) throw Object.assign(new Error('Recipient refused by the carrier'), { name: 'ProviderError' });
      return { providerMessageId: `rec-${sent.length}` };
    },
  };
  return { provider, sent, failing };
}

describe.each(backendNames())('contact welcome SMS (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let admin: Record<string, string>;
  const sms = recordingProvider();
  const sentTo = (phone: string) => sms.sent.filter((m) => m.to === phone);
  const welcomes = async (userId: string) => query<{ id: string; status: string; error: string | null; lead_id: string | null }>(db, `select id, status, error, lead_id from messages where user_id = '${userId}' and kind = 'welcome'`);
  const createContact = (body: Record<string, unknown>, key?: string) =>
    call(server.url, 'POST', '/contacts', { headers: { ...admin, ...(key ? { 'idempotency-key': key } : {}) }, json: body });

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, env: testEnv({ keys, extra: INTEGRATION_ADMIN }), providers: { sms: sms.provider } });
    admin = await adminHeaders(server);
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  it('queues the welcome SMS with the insert and sends it after commit, in the contact’s language, naming no partner', async () => {
    const phone = uniquePhone();
    const res = await createContact({ name: 'Lucía Fernández', phone, language: 'es' });
    expect(res.status).toBe(201);
    await server.app.flush();
    expect(sentTo(phone)).toHaveLength(1);
    expect(sentTo(phone)[0]!.body).toMatch(/^Hola Lucía, somos CareOS\. Gracias por contactarnos: /);
    expect(await welcomes(res.body.contact.id)).toEqual([{ id: res.body.welcome_message_id, status: 'sent', error: null, lead_id: null }]);
  });

  it('refuses a second contact with the same phone (409 naming the first), and welcomes once', async () => {
    const phone = uniquePhone();
    const first = await createContact({ name: 'First Owner', phone });
    expect(first.status).toBe(201);
    const again = await createContact({ name: 'Second Try', phone: `+1 ${phone.slice(2, 5)} ${phone.slice(5)}` });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'CONTACT_EXISTS', error: 'A contact with this phone number already exists' });
    expect(again.body.message).toContain(first.body.contact.id);
    await server.app.flush();
    expect(sentTo(phone)).toHaveLength(1);
    const [{ n }] = (await query<{ n: number }>(db, `select count(*)::int as n from messages where kind = 'welcome' and user_id in (select id from users where source = 'manual')`)) as [{ n: number }];
    expect(n).toBe((await query(db, "select id from users where source = 'manual' and phone_bidx is not null")).length);
  });

  it('creates one contact and one welcome for concurrent creates of the same phone', async () => {
    const phone = uniquePhone();
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => createContact({ name: `Racer ${i}`, phone })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    await server.app.flush();
    expect(sentTo(phone)).toHaveLength(1);
  });

  it('replays a retried POST with the same Idempotency-Key: same contact, one welcome', async () => {
    const phone = uniquePhone();
    const first = await createContact({ name: 'Retry Person', phone }, 'contact-retry-1');
    const retry = await createContact({ name: 'Retry Person', phone }, 'contact-retry-1');
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.contact.id).toBe(first.body.contact.id);
    await server.app.flush();
    expect(sentTo(phone)).toHaveLength(1);
  });

  it('a partner lead for a contact’s phone finds the contact and sends no second welcome', async () => {
    const phone = uniquePhone();
    const contact = await createContact({ name: 'Already Known', phone });
    const lead = await call(server.url, 'POST', '/api/leads/ingest', { json: leadBody({ keys, phone }), headers: partnerHeaders() });
    expect(lead.status).toBe(200);
    expect(lead.body).toMatchObject({ careos_user_id: contact.body.contact.id, is_new_user: false });
    await server.app.flush();
    expect(sentTo(phone)).toHaveLength(1);
    const got = await call(server.url, 'GET', `/contacts/${contact.body.contact.id}`, { headers: admin });
    expect(got.body.contact).toMatchObject({ name: 'Already Known', source: 'manual' });
  });

  it('a partner’s lead person is a contact whose source names the partner, searchable by name and phone', async () => {
    const phone = uniquePhone();
    const lead = await call(server.url, 'POST', '/api/leads/ingest', { json: leadBody({ keys, phone }, { user_name: 'Bartholomew Quince' }), headers: partnerHeaders() });
    expect(lead.status).toBe(200);
    const byName = await call(server.url, 'GET', '/contacts?name=quince%20bartholomew', { headers: admin });
    expect(byName.body.contacts).toEqual([expect.objectContaining({ id: lead.body.careos_user_id, name: 'Bartholomew Quince', phone, email: null, source: 'businessos_referral' })]);
    const byPhone = await call(server.url, 'GET', `/contacts?phone=${encodeURIComponent(phone)}&source=businessos_referral`, { headers: admin });
    expect(byPhone.body.contacts.map((c: { id: string }) => c.id)).toEqual([lead.body.careos_user_id]);
    // Then staff adding the same person is refused, naming the lead's contact.
    const dup = await createContact({ name: 'Bartholomew Quince', phone });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toContain(lead.body.careos_user_id);
  });

  it('still answers 201 when the SMS provider fails: message failed, alert raised, no phone in logs or alert', async () => {
    const phone = uniquePhone();
    sms.failing.add(phone);
    const res = await createContact({ name: 'Unlucky Recipient', phone });
    expect(res.status).toBe(201);
    await server.app.flush();
    const [message] = await welcomes(res.body.contact.id);
    expect(message).toMatchObject({ id: res.body.welcome_message_id, status: 'failed', error: 'Recipient refused by the carrier' });
    const alerts = await server.app.services.alerts.list({ type: 'sms_failed' });
    const alert = alerts.find((a) => a.context.message_id === message!.id);
    expect(alert).toMatchObject({ severity: 'warning', context: { user_id: res.body.contact.id, lead_id: null } });
    expect(JSON.stringify(alert)).not.toContain(phone.slice(2));
    expect(server.logs.join('\n')).not.toContain(phone.slice(2));
    expect(server.logs.join('\n')).not.toContain('Unlucky');
  });
});
