// Communications (POST /comms, /comms/bulk, GET /comms): the seed's front-end snippets over real
// HTTP, the audit rows written with the messages, opt-out and suppression, the BAA gate, SMS
// segments, bulk results and grouped email dispatch. PGlite, and PostgreSQL when DATABASE_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import type { EmailBatch, EmailProvider, SmsMessage, SmsProvider } from '../src/providers/types.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { adminHeaders, INTEGRATION_ADMIN } from './helpers/integration.js';
import { generateTestKeys } from './helpers/keys.js';
import { uniquePhone } from './helpers/leads.js';
import { staffSession, type StaffSession } from './helpers/staff.js';

const keys = generateTestKeys();

/** Records every SMS handed to it. */
function recordingSms() {
  const sent: SmsMessage[] = [];
  const gate: { wait: Promise<void> | null; entered: () => void } = { wait: null, entered: () => {} };
  const provider: SmsProvider = {
    name: 'recording-sms',
    async send(m) {
      sent.push(m);
      if (gate.wait) {
        gate.entered();
        await gate.wait;
      }
      return { providerMessageId: `SM${sent.length.toString().padStart(32, '0')}` };
    },
  };
  return { provider, sent, gate };
}

/** Records every email batch handed to it; refuses addresses in `refusing`. */
function recordingEmail() {
  const batches: EmailBatch[] = [];
  const refusing = new Set<string>();
  const provider: EmailProvider = {
    name: 'recording-email',
    async send(batch) {
      batches.push(batch);
      return batch.recipients.map((r, i) => (refusing.has(r.to) ? { ok: false as const, error: 'Recipient refused (550)' } : { ok: true as const, providerMessageId: `em-${batches.length}-${i}` }));
    },
  };
  return { provider, batches, refusing };
}

describe.each(backendNames())('communications (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let admin: Record<string, string>;
  let staff: StaffSession;
  const sms = recordingSms();
  const email = recordingEmail();
  const post = (path: string, json: unknown, headers = staff.headers) => call(server.url, 'POST', path, { headers, json });
  const get = (path: string, headers = staff.headers) => call(server.url, 'GET', path, { headers });
  let n = 0;
  const contact = async (options: { phone?: boolean; email?: boolean } = {}) => {
    n += 1;
    const phone = options.phone === false ? undefined : uniquePhone();
    const address = options.email === false ? undefined : `client${n}.${Math.random().toString(36).slice(2, 8)}@example.org`;
    const res = await post('/contacts', { name: `Client ${n}`, ...(phone ? { phone } : {}), ...(address ? { email: address } : {}) }, admin);
    expect(res.status).toBe(201);
    // Its welcome SMS goes out first, so what a test sends afterwards is all that is new.
    await server.app.flush();
    return { id: res.body.contact.id as string, phone: phone ?? null, email: address ?? null };
  };
  /** The seed's `api` (axios): `post(path, body)` resolving to `{ data }`, with the staff bearer token. */
  const api = {
    post: async (path: string, body: unknown) => {
      const res = await post(path, body);
      if (res.status >= 400) throw Object.assign(new Error(`HTTP ${res.status}`), { response: { status: res.status, data: res.body } });
      return { data: res.body };
    },
  };

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, env: testEnv({ keys, extra: { ...INTEGRATION_ADMIN, CAREOS_BUSINESS_NAME: 'Sunrise Care' } }), providers: { sms: sms.provider, email: email.provider } });
    admin = await adminHeaders(server);
    staff = await staffSession(server, 'staff');
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  it('runs the seed’s "Send SMS to Client" and "Send Email to Client" snippets verbatim; message and audit rows together, no PHI in audit or logs', async () => {
    const client = await contact();
    // --- the seed, verbatim ---
    const sendSMSToClient = async (clientId: string, message: string) => {
      const response = await api.post('/comms', {
        client_id: clientId,
        type: 'sms',
        body: message
      });
      return response.data;
    };
    const sendEmailToClient = async (clientId: string, subject: string, message: string) => {
      const response = await api.post('/comms', {
        client_id: clientId,
        type: 'email',
        subject: subject,
        body: message
      });
      return response.data;
    };
    // --- end of the seed ---
    const smsText = 'Hi, this is Sunrise Care. Please call us back about your forms.';
    const smsResult = await sendSMSToClient(client.id, smsText);
    expect(smsResult).toMatchObject({ ok: true, status: 'queued', encoding: 'GSM-7', segments: 1, generic_notice: false, communication: { type: 'sms', client_id: client.id, kind: 'comms' } });
    const emailResult = await sendEmailToClient(client.id, 'Your intake forms', 'Your intake forms are ready.');
    expect(emailResult).toMatchObject({ ok: true, status: 'queued', generic_notice: false, communication: { type: 'email', client_id: client.id } });
    expect(emailResult.segments).toBeUndefined();
    await server.app.flush();

    expect(sms.sent.find((m) => m.id === smsResult.id)).toMatchObject({ to: client.phone, body: smsText });
    const emailBatch = email.batches.find((b) => b.recipients.some((r) => r.messageId === emailResult.id))!;
    expect(emailBatch.content).toEqual({ subject: 'Your intake forms', text: 'Your intake forms are ready.', templateId: null });
    expect(emailBatch.recipients[0]!.to).toBe(client.email);

    const status = await get(`/comms/${smsResult.id}`);
    expect(status.status).toBe(200);
    expect(status.body.communication).toMatchObject({ status: 'sent', provider: 'recording-sms', provider_message_id: expect.stringMatching(/^SM/), segments: 1, encoding: 'GSM-7' });
    expect(status.body.communication.sent_at).not.toBeNull();
    // The seed's getSMSStatus(sid) takes the provider's id: that works too.
    expect((await get(`/comms/${status.body.communication.provider_message_id}`)).body.communication.id).toBe(smsResult.id);

    await server.app.services.audit.flush();
    const audits = await query<Record<string, unknown>>(
      db,
      `select a.*, c.message_id, c.provider_message_id as detail_provider_id, c.action from audit_log a join comms_audit c on c.audit_id = a.id where c.client_id = '${client.id}' order by a.seq`,
    );
    // The welcome the contact got on creation is audited too, by the automation (actor `system`).
    expect(audits.shift()).toMatchObject({ method: 'SMS_SENT', actor_type: 'system', actor_id: null, route: 'automation:welcome' });
    expect(audits.map((a) => [a.method, a.message_id, a.subject_id, a.actor_id])).toEqual([
      ['SMS_SENT', smsResult.id, client.id, staff.id],
      ['EMAIL_SENT', emailResult.id, client.id, staff.id],
    ]);
    expect(audits[0]!.ip).toBeTruthy();
    expect(audits[0]!.detail_provider_id).toBe(status.body.communication.provider_message_id);
    expect(audits[1]!.detail_provider_id).toMatch(/^em-/);
    // Nothing the client could be identified by, nor what was said, in the audit trail or the log.
    const everything = JSON.stringify(await query(db, 'select * from audit_log')) + JSON.stringify(await query(db, 'select * from comms_audit')) + server.logs.join('\n');
    for (const secret of [client.phone!, client.phone!.slice(2), client.email!, smsText, 'Your intake forms']) expect(everything).not.toContain(secret);

    const listed = await get(`/comms?client_id=${client.id}&limit=1`);
    expect(listed.body.communications.map((c: { id: string }) => c.id)).toEqual([emailResult.id]);
    const next = await get(`/comms?client_id=${client.id}&limit=1&cursor=${listed.body.next_cursor}`);
    expect(next.body.communications.map((c: { id: string }) => c.id)).toEqual([smsResult.id]);
  });

  it('a rolled-back send leaves neither a message nor an audit row', async () => {
    const client = await contact();
    const before = await query<{ n: number }>(db, `select count(*)::int as n from audit_log where method = 'SMS_SENT'`);
    const rolledBack = db.transaction(async (run) => {
      await server.app.services.messages.insertQueuedMany(run, [{ kind: 'comms', to: client.phone!, body: 'x', language: 'en', userId: client.id, automated: false }]);
      await server.app.services.audit.appendWithin(run, [{ actorType: 'staff', actorId: staff.id, partnerId: null, method: 'SMS_SENT', route: 'comms:sms', subjectType: 'contact', subjectId: client.id, status: 201, ip: null, requestId: 'req_test' }]);
      throw new Error('rolled back');
    });
    await expect(rolledBack).rejects.toThrow('rolled back');
    expect(await query(db, `select id from messages where user_id = '${client.id}' and kind = 'comms'`)).toEqual([]);
    expect(await query<{ n: number }>(db, `select count(*)::int as n from audit_log where method = 'SMS_SENT'`)).toEqual(before);
    // The chain goes on intact after the rollback.
    expect((await post('/comms', { client_id: client.id, type: 'sms', body: 'Hello again' })).status).toBe(201);
    await server.app.services.audit.flush();
    expect((await get('/admin/audit/verify', admin)).body).toMatchObject({ ok: true });
  });

  it('refuses an SMS to an opted-out number (409 OPTED_OUT) and an email to a suppressed address; START re-enables', async () => {
    const client = await contact();
    const { optOuts } = server.app.services;
    await optOuts.optOut(client.phone!, 'inbound_stop');
    expect(await optOuts.isOptedOut(client.phone!)).toBe(true);
    const refused = await post('/comms', { client_id: client.id, type: 'sms', body: 'Hello' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'OPTED_OUT', error: 'The recipient has opted out of SMS' });
    // Email still goes: the opt-out is for SMS.
    expect((await post('/comms', { client_id: client.id, type: 'email', subject: 'Hi', body: 'Hello' })).status).toBe(201);
    await optOuts.suppress(client.email!.toUpperCase(), 'bounce');
    const suppressed = await post('/comms', { client_id: client.id, type: 'email', subject: 'Hi', body: 'Hello' });
    expect(suppressed.status).toBe(409);
    expect(suppressed.body.code).toBe('SUPPRESSED');
    expect(await optOuts.optIn(client.phone!)).toBe(true);
    expect((await post('/comms', { client_id: client.id, type: 'sms', body: 'Welcome back' })).status).toBe(201);
    // The stored value is sealed, found by its blind index only.
    const [row] = await query<{ phone_enc: string }>(db, `select phone_enc from sms_opt_outs where phone_bidx = '${server.app.services.optOuts.phoneIndex(client.phone!)}'`);
    expect(row!.phone_enc).not.toContain(client.phone!.slice(2));
  });

  it('cancels an automated message and a queued send whose number opted out before dispatch', async () => {
    const client = await contact();
    const { messages, optOuts } = server.app.services;
    const queued = await db.transaction((run) => messages.insertQueued(run, { kind: 'welcome', to: client.phone!, body: 'Welcome', language: 'en', userId: client.id }));
    await optOuts.optOut(client.phone!, 'inbound_stop');
    messages.enqueue(queued);
    const later = await db.transaction((run) => messages.insertQueued(run, { kind: 'booking_reminder', to: client.phone!, body: 'Reminder', language: 'en', userId: client.id }));
    expect(later.status).toBe('cancelled');
    await server.app.flush();
    expect(sms.sent.filter((m) => m.id === queued.id || m.id === later.id)).toEqual([]);
    const rows = await query<{ id: string; status: string; cancel_reason: string }>(db, `select id, status, cancel_reason from messages where id in ('${queued.id}', '${later.id}') order by id`);
    expect(rows).toEqual([
      { id: queued.id, status: 'cancelled', cancel_reason: 'opted_out' },
      { id: later.id, status: 'cancelled', cancel_reason: 'opted_out' },
    ]);
  });

  it('an automated PHI message (booking reminder) goes as the generic notice while TWILIO_HIPAA_ENABLED is off; the welcome is not PHI', async () => {
    const client = await contact();
    const { messages } = server.app.services;
    const [reminder, welcome] = await db.transaction((run) =>
      messages.insertQueuedMany(run, [
        { kind: 'booking_reminder', to: client.phone!, body: 'Hi Ada, a reminder of your appointment on Monday 10:00', language: 'en', userId: client.id },
        { kind: 'welcome', to: client.phone!, body: 'Hi Ada, welcome', language: 'en', userId: client.id },
      ]),
    );
    messages.enqueue(reminder!, welcome!);
    await server.app.flush();
    expect(sms.sent.find((m) => m.id === reminder!.id)!.body).toBe('You have a new secure message from Sunrise Care. Please log in to view it.');
    expect(sms.sent.find((m) => m.id === welcome!.id)!.body).toBe('Hi Ada, welcome');
    expect((await get(`/comms/${reminder!.id}`)).body.communication).toMatchObject({ contains_phi: true, generic_notice: true, kind: 'booking_reminder', status: 'sent' });
  });

  it('BAA gate: a PHI SMS with the flag off is refused 422 BAA_REQUIRED, audited, nothing queued; generic_notice sends the notice instead', async () => {
    const client = await contact();
    const before = sms.sent.length;
    const refused = await post('/comms', { client_id: client.id, type: 'sms', body: 'Your HIV test results are ready', contains_phi: true });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'BAA_REQUIRED', error: 'This message contains PHI and the provider has no signed BAA' });
    // A PHI template is PHI whatever the caller says.
    const template = await post('/comms', { client_id: client.id, type: 'sms', template_id: 'booking_reminder', dynamic_data: { first_name: 'Ada', when: 'Monday 10:00' }, contains_phi: false });
    expect(template.body.code).toBe('BAA_REQUIRED');
    expect(await query(db, `select id from messages where user_id = '${client.id}' and kind = 'comms'`)).toEqual([]);
    await server.app.services.audit.flush();
    const refusals = await query<{ method: string; status: number; subject_id: string; detail: string }>(
      db,
      `select a.method, a.status, a.subject_id, c.detail from audit_log a join comms_audit c on c.audit_id = a.id where c.client_id = '${client.id}' and c.action = 'BAA_REFUSED' order by a.seq`,
    );
    expect(refusals).toEqual([
      { method: 'BAA_REFUSED', status: 422, subject_id: client.id, detail: 'contains_phi' },
      { method: 'BAA_REFUSED', status: 422, subject_id: client.id, detail: 'phi_template' },
    ]);

    const notice = await post('/comms', { client_id: client.id, type: 'sms', body: 'Your HIV test results are ready', contains_phi: true, on_baa_missing: 'generic_notice' });
    expect(notice.status).toBe(201);
    expect(notice.body).toMatchObject({ generic_notice: true, communication: { contains_phi: true, generic_notice: true, template_id: 'secure_message_notice' } });
    await server.app.flush();
    expect(sms.sent.slice(before).map((m) => m.body)).toEqual(['You have a new secure message from Sunrise Care. Please log in to view it.']);
    await server.app.services.audit.flush();
    const [audit] = await query<{ route: string; detail: string }>(db, `select a.route, c.detail from audit_log a join comms_audit c on c.audit_id = a.id where c.message_id = '${notice.body.id}'`);
    expect(audit).toEqual({ route: 'comms:sms:generic_notice', detail: 'generic_notice' });
  });

  it('reports encoding and segments; refuses more than 10 segments with 422 TOO_MANY_SEGMENTS', async () => {
    const client = await contact();
    const ucs = await post('/comms', { client_id: client.id, type: 'sms', body: 'Hi 👋 '.repeat(20) });
    expect(ucs.body).toMatchObject({ encoding: 'UCS-2', segments: 2 });
    const long = await post('/comms', { client_id: client.id, type: 'sms', body: 'a'.repeat(153 * 10 + 1) });
    expect(long.status).toBe(422);
    expect(long.body).toMatchObject({ code: 'TOO_MANY_SEGMENTS', details: [{ path: 'body', message: '11 segments (GSM-7, 1531 units)' }] });
    expect((await post('/comms', { client_id: client.id, type: 'sms', body: 'a'.repeat(1530) })).body.segments).toBe(10);
  });

  it('answers 404 for an unknown client, 409 NO_EMAIL without an address, 400 for a body and a template at once', async () => {
    expect((await post('/comms', { client_id: 'user_nobody', type: 'sms', body: 'x' })).status).toBe(404);
    const phoneOnly = await contact({ email: false });
    expect((await post('/comms', { client_id: phoneOnly.id, type: 'email', subject: 'x', body: 'x' })).body.code).toBe('NO_EMAIL');
    const both = await post('/comms', { client_id: phoneOnly.id, type: 'sms', body: 'x', template_id: 'call_us' });
    expect(both.status).toBe(400);
    expect((await post('/comms', { client_id: phoneOnly.id, type: 'sms', template_id: 'nope' })).body.code).toBe('UNKNOWN_TEMPLATE');
    expect((await get('/comms/msg_unknown')).status).toBe(404);
  });

  it('bulk: one result per recipient (queued, opted_out, invalid), one bad recipient never aborts the batch', async () => {
    const [a, b, optedOut, noPhone] = [await contact(), await contact(), await contact(), await contact({ phone: false })];
    await server.app.services.optOuts.optOut(optedOut.phone!, 'staff');
    const res = await post('/comms/bulk', {
      type: 'sms',
      body: 'Our office is closed on Monday.',
      recipients: [{ client_id: a.id }, { client_id: 'user_unknown' }, { client_id: optedOut.id }, { client_id: noPhone.id }, { client_id: b.id }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ok: true, queued: 2, not_queued: 3, encoding: 'GSM-7', segments: 1 });
    expect(res.body.results.map((r: { client_id: string; status: string; code: string | null }) => [r.client_id, r.status, r.code])).toEqual([
      [a.id, 'queued', null],
      ['user_unknown', 'invalid', 'NOT_FOUND'],
      [optedOut.id, 'opted_out', 'OPTED_OUT'],
      [noPhone.id, 'invalid', 'NO_PHONE'],
      [b.id, 'queued', null],
    ]);
    await server.app.flush();
    expect(sms.sent.filter((m) => m.body === 'Our office is closed on Monday.').map((m) => m.to).sort()).toEqual([a.phone, b.phone].sort());
  });

  it('bulk email: one provider call per batch sharing content, per-recipient outcomes; suppressed reported', async () => {
    const clients = [await contact(), await contact(), await contact(), await contact()];
    await server.app.services.optOuts.suppress(clients[3]!.email!, 'spamreport');
    email.refusing.add(clients[1]!.email!);
    const calls = email.batches.length;
    const res = await post('/comms/bulk', {
      type: 'email',
      template_id: 'd-0123456789abcdef0123456789abcdef',
      recipients: clients.map((c, i) => ({ client_id: c.id, dynamic_data: { first_name: `Client${i}` } })),
    });
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['queued', 'queued', 'queued', 'suppressed']);
    await server.app.flush();
    const handed = email.batches.slice(calls);
    expect(handed).toHaveLength(1);
    expect(handed[0]!.content).toEqual({ subject: 'A message from Sunrise Care', text: null, templateId: 'd-0123456789abcdef0123456789abcdef' });
    expect(handed[0]!.recipients.map((r) => [r.to, r.dynamicData])).toEqual([0, 1, 2].map((i) => [clients[i]!.email, { first_name: `Client${i}` }]));
    const statuses = await Promise.all(res.body.results.slice(0, 3).map(async (r: { id: string }) => (await get(`/comms/${r.id}`)).body.communication));
    expect(statuses.map((c) => [c.status, c.batch_id])).toEqual([
      ['sent', res.body.batch_id],
      ['failed', res.body.batch_id],
      ['sent', res.body.batch_id],
    ]);
    expect(statuses[1].error).toBe('Recipient refused (550)');
  });

  it('bulk of 1,001 emails: the provider gets batches of at most 1,000 recipients, every recipient a result', async () => {
    const { contacts } = server.app.services;
    const ids: string[] = [];
    for (let i = 0; i < 1001; i += 100) {
      const chunk = await Promise.all(Array.from({ length: Math.min(100, 1001 - i) }, (_, j) => contacts.create({ name: `Bulk ${i + j}`, email: `bulk${i + j}@example.org`, language: 'en' })));
      ids.push(...chunk.map((c) => c.contact.id));
    }
    const calls = email.batches.length;
    const res = await post('/comms/bulk', { type: 'email', subject: 'Closed Monday', body: 'Our office is closed on Monday.', recipients: ids.map((client_id) => ({ client_id })) });
    expect(res.status).toBe(201);
    expect(res.body.results).toHaveLength(1001);
    expect(res.body.queued).toBe(1001);
    await server.app.flush();
    const sizes = email.batches.slice(calls).map((b) => b.recipients.length);
    expect(sizes.sort((a, b) => b - a)).toEqual([1000, 1]);
    const [sent] = await query<{ n: number }>(db, `select count(*)::int as n from messages where batch_id = '${res.body.batch_id}' and status = 'sent'`);
    expect(sent!.n).toBe(1001);
  }, 60_000);

  it('a late "sent" result never overrides a "delivered" status that arrived first', async () => {
    const client = await contact();
    const { messages } = server.app.services;
    const queued = await db.transaction((run) => messages.insertQueued(run, { kind: 'comms', to: client.phone!, body: 'x', language: 'en', userId: client.id, automated: false }));
    let release = () => {};
    const entered = new Promise<void>((resolve) => (sms.gate.entered = resolve));
    sms.gate.wait = new Promise<void>((resolve) => (release = resolve));
    messages.enqueue(queued);
    await entered;
    // The provider's delivered callback lands before the send's own result is recorded.
    await query(db, `update messages set status = 'delivered', delivered_at = now() where id = '${queued.id}'`);
    sms.gate.wait = null;
    release();
    await server.app.flush();
    const [row] = await query<{ status: string; provider_message_id: string | null }>(db, `select status, provider_message_id from messages where id = '${queued.id}'`);
    expect(row!.status).toBe('delivered');
    expect(row!.provider_message_id).toMatch(/^SM/);
  });

  it('staff and admins may send; the seed’s role matrix has no other role', async () => {
    const client = await contact();
    expect((await post('/comms', { client_id: client.id, type: 'sms', body: 'From an admin' }, admin)).status).toBe(201);
    expect((await call(server.url, 'POST', '/comms', { json: { client_id: client.id, type: 'sms', body: 'x' } })).status).toBe(401);
  });
});
