// The webhooks Twilio and SendGrid call, over real HTTP behind a pretend TLS-terminating proxy:
// Twilio signs the public URL it was given, the server checks against CAREOS_PUBLIC_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { partnerHeaders, startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';
import { leadBody, uniquePhone } from './helpers/leads.js';
import { openJsonField } from './helpers/phi.js';
import { staffSession } from './helpers/staff.js';
import { FAKE_SENDGRID_API_KEY, generateEventWebhookKeys, startFakeSendGrid, type FakeSendGrid } from './fakes/sendgrid.js';
import { startFakeTwilio, type FakeTwilio, type SignedTwilioRequest } from './fakes/twilio.js';

const keys = generateTestKeys();
const PUBLIC_URL = 'https://careos.example.test';
const OUR_NUMBER = '+15005550006';
const sendgridKeys = generateEventWebhookKeys();
let twilio: FakeTwilio;
let sendgrid: FakeSendGrid;

beforeAll(async () => {
  [twilio, sendgrid] = await Promise.all([startFakeTwilio(), startFakeSendGrid()]);
});
afterAll(() => Promise.all([twilio.close(), sendgrid.close()]));

describe.each(backendNames())('provider webhooks (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({
      db,
      env: testEnv({
        keys,
        extra: {
          TWILIO_ACCOUNT_SID: twilio.accountSid,
          TWILIO_AUTH_TOKEN: twilio.authToken,
          TWILIO_API_BASE_URL: twilio.url,
          TWILIO_FROM_NUMBER: OUR_NUMBER,
          CAREOS_PUBLIC_URL: PUBLIC_URL,
          SENDGRID_API_KEY: FAKE_SENDGRID_API_KEY,
          SENDGRID_FROM_EMAIL: 'care@careos.test',
          SENDGRID_API_BASE_URL: sendgrid.url,
          SENDGRID_WEBHOOK_PUBLIC_KEY: sendgridKeys.publicKey,
        },
      }),
    });
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  /** A lead with a new phone: a contact, and a welcome SMS sent through the fake Twilio. */
  const contactWithWelcome = async () => {
    const phone = uniquePhone();
    const res = await call(server.url, 'POST', '/api/leads/ingest', { json: leadBody({ keys, phone }), headers: partnerHeaders() });
    expect(res.status).toBe(200);
    await server.app.flush();
    const [message] = await query<{ id: string; user_id: string; provider_message_id: string }>(db, `select id, user_id, provider_message_id from messages where lead_id = '${res.body.careos_lead_id}'`);
    return { phone, messageId: message!.id, contactId: message!.user_id, sid: message!.provider_message_id };
  };
  /** Posts a signed Twilio request to the server, as the proxy in front of it would pass it on. */
  const post = (signed: SignedTwilioRequest, headers: Record<string, string> = signed.headers) =>
    call(server.url, 'POST', new URL(signed.url).pathname, { raw: signed.body, headers });
  const statusOf = async (id: string) => (await query<{ status: string }>(db, `select status from messages where id = '${id}'`))[0]!.status;
  const eventsOf = (where: string) => query<Record<string, unknown>>(db, `select * from message_events where ${where} order by received_at, id`);
  const postEvents = (signed: { body: string; headers: Record<string, string> }) => call(server.url, 'POST', '/webhooks/sendgrid/events', { raw: signed.body, headers: signed.headers });
  const inbound = (from: string, body: string) => post(twilio.signedInboundMessage(`${PUBLIC_URL}/webhooks/twilio/inbound`, { from, to: OUR_NUMBER, body }));

  it('asks Twilio for status callbacks at the public URL; delivered then a late sent stays delivered, every report kept', async () => {
    const { messageId, sid } = await contactWithWelcome();
    expect(twilio.requestsTo('send').at(-1)!.body).toContain(encodeURIComponent(`${PUBLIC_URL}/webhooks/twilio/status`));
    const postTo = `${server.url}/webhooks/twilio/status`;
    expect(await twilio.setStatus(sid, 'delivered', { postTo })).toBe(200);
    expect(await statusOf(messageId)).toBe('delivered');
    expect(await twilio.setStatus(sid, 'sent', { postTo })).toBe(200);
    expect(await statusOf(messageId)).toBe('delivered');
    const events = await eventsOf(`message_id = '${messageId}'`);
    expect(events.map((e) => [e.provider, e.type, e.status])).toEqual([
      ['twilio', 'delivered', 'delivered'],
      ['twilio', 'sent', 'sent'],
    ]);
    // No phone (nor anything else of the contact's) is kept with the events.
    expect(JSON.stringify(events)).not.toMatch(/\+1\d{10}/);
  });

  it('records a failure with its error code, and the same report twice only once', async () => {
    const { messageId, sid } = await contactWithWelcome();
    const signed = twilio.signedStatusCallback(`${PUBLIC_URL}/webhooks/twilio/status`, { MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '30003' });
    const first = await post(signed);
    expect(first.body).toMatchObject({ received: true, message_id: messageId, status: 'undelivered', duplicate: false });
    const again = await post(signed);
    expect(again.body).toMatchObject({ message_id: messageId, status: 'undelivered', duplicate: true });
    expect(await eventsOf(`message_id = '${messageId}'`)).toHaveLength(1);
    const [row] = await query<{ error: string }>(db, `select error from messages where id = '${messageId}'`);
    expect(row!.error).toBe('twilio error 30003');
  });

  /** The row's delivery fields and the message each of its provider's reports is linked to. */
  const outcome = async (messageId: string, sid: string) => ({
    row: (await query<Record<string, unknown>>(db, `select status, error, provider_message_id from messages where id = '${messageId}'`))[0],
    events: (await eventsOf(`provider_message_id = '${sid}'`)).map((e) => [e.type, e.message_id]),
  });

  it.each(['report first', 'answer first'])('Twilio reports and the send answer give the same final status whichever arrives first (%s)', async (order) => {
    const held = order === 'report first' ? twilio.holdNextAnswer() : null;
    const ingested = await call(server.url, 'POST', '/api/leads/ingest', { json: leadBody({ keys }), headers: partnerHeaders() });
    expect(ingested.status).toBe(200);
    const [{ id: messageId }] = (await query<{ id: string }>(db, `select id from messages where lead_id = '${ingested.body.careos_lead_id}'`)) as [{ id: string }];
    const postTo = `${server.url}/webhooks/twilio/status`;
    const report = async (sid: string) => {
      expect(await twilio.setStatus(sid, 'sent', { postTo })).toBe(200);
      expect(await twilio.setStatus(sid, 'undelivered', { postTo, errorCode: 30003 })).toBe(200);
    };
    let sid: string;
    if (held) {
      // Twilio created the message and calls back while its answer to the send is still on its way.
      sid = (await held.accepted).sid;
      await report(sid);
      expect(await outcome(messageId, sid)).toEqual({
        row: { status: 'sending', error: null, provider_message_id: null },
        events: [
          ['sent', null],
          ['undelivered', null],
        ],
      });
      held.answer();
      await server.app.flush();
    } else {
      await server.app.flush();
      sid = (await outcome(messageId, '')).row!.provider_message_id as string;
      await report(sid);
    }
    expect(await outcome(messageId, sid)).toEqual({
      row: { status: 'undelivered', error: 'twilio error 30003', provider_message_id: sid },
      events: [
        ['sent', messageId],
        ['undelivered', messageId],
      ],
    });
  });

  it.each(['event first', 'answer first'])('a SendGrid bounce and the send answer give the same final status and error whichever arrives first (%s)', async (order) => {
    const { headers } = await staffSession(server, 'admin');
    const address = `bounce.${order.split(' ')[0]}.${Math.random().toString(36).slice(2, 8)}@example.org`;
    const contact = await call(server.url, 'POST', '/contacts', { json: { name: 'Mail Bounce', email: address }, headers });
    expect(contact.status).toBe(201);
    const held = order === 'event first' ? sendgrid.holdNextAnswer() : null;
    const sent = await call(server.url, 'POST', '/comms', { json: { client_id: contact.body.contact.id, type: 'email', subject: 'Forms', body: 'Your forms are ready.' }, headers });
    expect(sent.status).toBe(201);
    const messageId = sent.body.id as string;
    const bounce = async () => {
      const email = sendgrid.emails.find((e) => e.customArgs.careos_message_id === messageId)!;
      expect((await postEvents(sendgridKeys.signEvents([sendgrid.eventFor(email, 'bounce')] as never))).status).toBe(200);
    };
    if (held) {
      await held.accepted;
      await bounce();
      held.answer();
      await server.app.flush();
    } else {
      await server.app.flush();
      await bounce();
    }
    const [row] = await query<Record<string, unknown>>(db, `select status, error, provider_message_id from messages where id = '${messageId}'`);
    expect(row).toEqual({ status: 'undelivered', error: 'sendgrid bounce (bounce)', provider_message_id: sendgrid.emails.find((e) => e.to === address)!.xMessageId });
  });

  it('refuses a tampered, missing or wrong-URL signature with 403 and stores nothing', async () => {
    const { messageId, sid } = await contactWithWelcome();
    const signed = twilio.signedStatusCallback(`${PUBLIC_URL}/webhooks/twilio/status`, { MessageSid: sid, MessageStatus: 'delivered' });
    const tampered = { ...signed, body: signed.body.replace('delivered', 'failed') };
    const { 'x-twilio-signature': _, ...unsigned } = signed.headers;
    // Signed for the URL the server sees rather than the public one Twilio was given.
    const internal = twilio.signedStatusCallback(`${server.url}/webhooks/twilio/status`, { MessageSid: sid, MessageStatus: 'delivered' });
    for (const res of [await post(tampered), await post(signed, unsigned), await post(internal)]) {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: 'Invalid signature', code: 'INVALID_SIGNATURE' });
    }
    expect(await eventsOf(`provider_message_id = '${sid}'`)).toEqual([]);
    expect(await statusOf(messageId)).toBe('sent');
  });

  it('keeps a report about a message it does not know, without a message', async () => {
    const sid = `SM${'ab'.repeat(16)}`;
    const res = await post(twilio.signedStatusCallback(`${PUBLIC_URL}/webhooks/twilio/status`, { MessageSid: sid, MessageStatus: 'delivered' }));
    expect(res.body).toEqual({ received: true, message_id: null, status: null, duplicate: false });
    expect(await eventsOf(`provider_message_id = '${sid}'`)).toMatchObject([{ message_id: null, type: 'delivered' }]);
  });

  it('answers a wrong body type with 415 and a bad body with 400 once the signature holds', async () => {
    const url = `${PUBLIC_URL}/webhooks/twilio/status`;
    const bad = twilio.sign(url, { MessageSid: 'not-a-sid', MessageStatus: 'delivered' });
    expect((await post(bad)).status).toBe(400);
    // Signed correctly (over the body read as a form), but sent as JSON.
    const json = '{"MessageSid":"x"}';
    const asJson = twilio.sign(url, { [json]: '' });
    const res = await call(server.url, 'POST', '/webhooks/twilio/status', { raw: json, headers: { ...asJson.headers, 'content-type': 'application/json' } });
    expect([res.status, res.body.error]).toEqual([415, 'Content-Type must be application/x-www-form-urlencoded']);
  });

  it('STOP (any case, trimmed) opts out with a confirmation; START opts back in; both audited with ids only', async () => {
    const { phone, contactId } = await contactWithWelcome();
    const stop = await inbound(phone, '  stop ');
    expect(stop.status).toBe(200);
    expect(stop.headers['content-type']).toMatch(/^text\/xml/);
    expect(stop.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Message>You have been unsubscribed[^<]*<\/Message><\/Response>$/);
    const start = await inbound(phone, 'START');
    expect(start.text).toContain('re-subscribed');
    await server.app.flush();
    const audit = await query<Record<string, unknown>>(db, `select method, route, subject_type, subject_id, actor_type, actor_id from audit_log where route = 'webhook:twilio' and subject_id = '${contactId}' order by seq`);
    expect(audit).toEqual([
      { method: 'OPT_OUT', route: 'webhook:twilio', subject_type: 'contact', subject_id: contactId, actor_type: 'system', actor_id: 'twilio' },
      { method: 'OPT_IN', route: 'webhook:twilio', subject_type: 'contact', subject_id: contactId, actor_type: 'system', actor_id: 'twilio' },
    ]);
    const events = await eventsOf(`type = 'inbound' and action in ('opt_out', 'opt_in') and address_bidx = '${server.app.phi.blind.phone(phone)}'`);
    expect(events.map((e) => e.action)).toEqual(['opt_out', 'opt_in']);
  });

  it('STOP makes every later send to that number refused OPTED_OUT (bulk reports it); START lets them through again', async () => {
    const { phone, contactId } = await contactWithWelcome();
    const { headers } = await staffSession(server, 'staff');
    const send = () => call(server.url, 'POST', '/comms', { json: { client_id: contactId, type: 'sms', body: 'Your forms are ready.' }, headers });
    const bulk = () => call(server.url, 'POST', '/comms/bulk', { json: { type: 'sms', body: 'Closed Monday.', recipients: [{ client_id: contactId }] }, headers });
    await inbound(phone, 'STOP');
    const refused = await send();
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'OPTED_OUT' });
    expect((await bulk()).body.results).toEqual([expect.objectContaining({ client_id: contactId, status: 'opted_out', code: 'OPTED_OUT' })]);
    await inbound(phone, 'start');
    expect((await send()).status).toBe(201);
    expect((await bulk()).body.results).toEqual([expect.objectContaining({ client_id: contactId, status: 'queued' })]);
  });

  it('HELP answers the help text and stores nothing as a message', async () => {
    const { phone, contactId } = await contactWithWelcome();
    const res = await inbound(phone, 'Help');
    expect(res.text).toMatch(/<Message>CareOS care team messages\. Reply STOP to opt out/);
    expect(await query(db, `select id from messages where user_id = '${contactId}' and direction = 'inbound'`)).toEqual([]);
  });

  it('stores any other text as an inbound message of the contact with that phone, once per MessageSid', async () => {
    const { phone, contactId } = await contactWithWelcome();
    const signed = twilio.signedInboundMessage(`${PUBLIC_URL}/webhooks/twilio/inbound`, { from: phone, to: OUR_NUMBER, body: 'Can we move my appointment? & thanks' });
    const res = await post(signed);
    expect(res.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect((await post(signed)).status).toBe(200);
    const rows = await query<Record<string, unknown>>(db, `select * from messages where user_id = '${contactId}' and direction = 'inbound'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'inbound', status: 'received', provider: 'twilio', provider_message_id: signed.params.MessageSid, author_staff_id: null });
    expect(openJsonField<{ body: string; to: string }>(server.app, 'messages.content_enc', rows[0]!.content_enc)).toEqual({ to: phone, body: 'Can we move my appointment? & thanks' });
    // The conversation API shows it like a message staff recorded.
    const admin = await server.app.seedDemo();
    const login = await call(server.url, 'POST', '/auth/login', { json: { email: admin.admin.email, password: admin.admin.password } });
    const conversation = await call(server.url, 'GET', `/messages/${contactId}`, { headers: { authorization: `Bearer ${login.body.access_token}` } });
    expect(conversation.body.messages.map((m: { direction: string; body: string }) => [m.direction, m.body])).toContainEqual(['inbound', 'Can we move my appointment? & thanks']);
  });

  it('keeps no text from an unknown number: the event and an audit row only', async () => {
    const stranger = uniquePhone();
    const res = await inbound(stranger, 'who is this?');
    expect(res.text).toContain('<Response/>');
    const [event] = await eventsOf(`address_bidx = '${server.app.phi.blind.phone(stranger)}'`);
    expect(event).toMatchObject({ action: 'unknown_sender', message_id: null });
    await server.app.flush();
    expect(await query(db, `select method from audit_log where subject_id = '${event!.id as string}'`)).toEqual([{ method: 'INBOUND_UNKNOWN' }]);
  });

  describe('SendGrid events', () => {
    const event = (overrides: Record<string, unknown>) => ({
      email: 'pat@example.com',
      timestamp: Math.floor(Date.now() / 1000),
      sg_event_id: `evt-${Math.random().toString(36).slice(2)}`,
      sg_message_id: 'sgmsg.filter0001',
      event: 'delivered',
      ...overrides,
    });

    it('stores each sg_event_id once, moves the message forward only, and a bounce suppresses the address (audited)', async () => {
      const { messageId } = await contactWithWelcome();
      const delivered = event({ careos_message_id: messageId, event: 'delivered' });
      const late = event({ careos_message_id: messageId, event: 'processed' });
      const bounce = event({ event: 'bounce', type: 'bounce', status: '5.1.1', reason: '550 pat@example.com unknown' });
      const res = await postEvents(sendgridKeys.signEvents([delivered, late, bounce] as never));
      expect(res.body).toEqual({ received: 3, duplicates: 0, unmatched: 1 });
      const again = await postEvents(sendgridKeys.signEvents([delivered] as never));
      expect(again.body).toEqual({ received: 0, duplicates: 1, unmatched: 0 });
      expect(await statusOf(messageId)).toBe('delivered');
      const stored = await eventsOf(`provider = 'sendgrid' and provider_event_id in ('${delivered.sg_event_id}', '${bounce.sg_event_id}')`);
      expect(stored.map((e) => [e.type, e.action, e.error_code])).toEqual([
        ['delivered', null, null],
        ['bounce', 'suppressed', 'bounce 5.1.1'],
      ]);
      expect(stored[1]!.address_bidx).toBe(server.app.phi.blind.email('pat@example.com'));
      expect(JSON.stringify(stored)).not.toContain('example.com');
      await server.app.flush();
      expect(await query(db, `select method, subject_type from audit_log where subject_id = '${stored[1]!.id as string}'`)).toEqual([{ method: 'SUPPRESS', subject_type: 'message_event' }]);
      // The send path sees it: the address is suppressed for the bounce.
      expect(await server.app.services.optOuts.isSuppressed('PAT@example.com')).toBe(true);
      expect(await query(db, `select reason, active from email_suppressions where email_bidx = '${server.app.phi.blind.email('pat@example.com')}'`)).toEqual([{ reason: 'bounce', active: true }]);
    });

    it('refuses a stale timestamp, a tampered body and an unsigned post with 403, storing nothing', async () => {
      const stale = event({});
      const tooOld = sendgridKeys.signEvents([stale] as never, Math.floor(Date.now() / 1000) - 3600);
      const signed = sendgridKeys.signEvents([event({})] as never);
      const tampered = { ...signed, body: signed.body.replace('delivered', 'bounce') };
      const unsigned = { body: signed.body, headers: { 'content-type': 'application/json' } };
      for (const attempt of [tooOld, tampered, unsigned]) {
        const res = await postEvents(attempt);
        expect([res.status, res.body.error]).toEqual([403, 'Invalid signature']);
      }
      expect(await eventsOf(`provider_event_id = '${stale.sg_event_id}'`)).toEqual([]);
    });

    it('answers a signed body that is not an event batch with 400', async () => {
      for (const body of ['[]', '{"event":"delivered"}', '[{"event":"delivered"}]', '[{']) {
        const res = await postEvents(sendgridKeys.signEvents(body));
        expect(res.status, body).toBe(400);
      }
    });
  });
});
