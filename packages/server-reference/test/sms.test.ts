import { maskPhone } from '@careos/contract';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { createTwilioSmsProvider } from '../src/providers/twilio-sms.js';
import type { SmsProvider } from '../src/providers/types.js';
import { DISPATCH_LEASE_MS } from '../src/services/messages.js';
import { partnerHeaders, startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';
import { leadBody, uniquePhone } from './helpers/leads.js';
import { openJsonField } from './helpers/phi.js';
import { ManualClock } from './helpers/clock.js';
import { startFakeTwilio, type FakeTwilio } from './fakes/twilio.js';

const keys = generateTestKeys();
let twilio: FakeTwilio;
const twilioCalls = () => twilio.requestsTo('send').map((r) => ({ authorization: r.headers.authorization, contentType: r.headers['content-type'], form: new URLSearchParams(r.body) }));

beforeAll(async () => {
  twilio = await startFakeTwilio();
});
afterEach(() => twilio.reset());
afterAll(() => twilio.close());

describe.each(backendNames())('welcome SMS (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let viaTwilio: TestApp;
  let viaService: TestApp;
  let viaConsole: TestApp;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    const twilioEnv = { TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_AUTH_TOKEN: twilio.authToken, TWILIO_API_BASE_URL: twilio.url };
    viaTwilio = await startApp({ db, env: testEnv({ keys, extra: { ...twilioEnv, TWILIO_FROM_NUMBER: '+15005550006' } }) });
    viaService = await startApp({ db, env: testEnv({ keys, extra: { ...twilioEnv, TWILIO_MESSAGING_SERVICE_SID: 'MG0123456789abcdef0123456789abcdef' } }) });
    viaConsole = await startApp({ db, env: testEnv({ keys }) });
  });
  afterAll(async () => {
    for (const server of [viaTwilio, viaService, viaConsole]) await server?.close();
    await backend?.dispose();
  });

  const ingest = async (server: TestApp, phone: string, overrides: Record<string, unknown> = {}) => {
    const res = await call(server.url, 'POST', '/api/leads/ingest', { json: leadBody({ keys, phone }, overrides), headers: partnerHeaders() });
    expect(res.status).toBe(200);
    await server.app.flush();
    const [message] = await query<Record<string, unknown>>(db, `select * from messages where lead_id = '${res.body.careos_lead_id}'`);
    // The stored body is sealed; the test compares what was sent with what is stored.
    return { lead: res.body, message: { ...message!, body: openJsonField<{ body: string }>(server.app, 'messages.content_enc', message!.content_enc).body } as Record<string, unknown> };
  };

  it('sends through Twilio: form fields, basic auth, the provider id recorded', async () => {
    const phone = uniquePhone();
    const { message } = await ingest(viaTwilio, phone, { user_language: 'fr' });
    expect(twilioCalls()).toHaveLength(1);
    const [sent] = twilioCalls();
    expect(sent!.authorization).toBe(`Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`);
    expect(sent!.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(sent!.form)).toEqual({ To: phone, From: '+15005550006', Body: message.body });
    expect(message.body).toMatch(/^Bonjour John/);
    expect(twilio.messagesTo(phone)).toHaveLength(1);
    expect(message).toMatchObject({ status: 'sent', provider: 'twilio', provider_message_id: twilio.messagesTo(phone)[0]!.sid, error: null });
    expect(message.sent_at).not.toBeNull();
  });

  it("audits the welcome as sent by the automation, with Twilio's id on its comms_audit row once accepted, and no phone or text", async () => {
    const phone = uniquePhone();
    const { lead, message } = await ingest(viaTwilio, phone);
    const sid = twilio.messagesTo(phone)[0]!.sid;
    const audits = await query<Record<string, unknown>>(
      db,
      `select a.*, c.message_id, c.client_id, c.action, c.provider as detail_provider, c.provider_message_id, c.provider_accepted_at
         from audit_log a join comms_audit c on c.audit_id = a.id where c.message_id = '${String(message.id)}'`,
    );
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      method: 'SMS_SENT',
      actor_type: 'system',
      route: 'automation:welcome',
      subject_id: lead.careos_user_id,
      client_id: lead.careos_user_id,
      request_id: message.id,
      action: 'SMS_SENT',
      detail_provider: 'twilio',
      provider_message_id: sid,
    });
    expect(audits[0]!.ip).toBeTruthy();
    expect(audits[0]!.provider_accepted_at).not.toBeNull();
    const stored = JSON.stringify(await query(db, `select * from audit_log where request_id = '${String(message.id)}'`)) + JSON.stringify(audits);
    for (const secret of [phone, phone.slice(2), String(message.body)]) expect(stored).not.toContain(secret);
  });

  it('records the welcome to a number that already opted out as cancelled (opted_out): nothing sent, nothing audited as sent', async () => {
    const phone = uniquePhone();
    const welcomed = uniquePhone();
    // A STOP from a number that is nobody's contact yet; its lead arrives beside another one.
    await viaTwilio.app.services.optOuts.optOut(phone, 'inbound_stop');
    const [{ lead, message }, other] = await Promise.all([ingest(viaTwilio, phone), ingest(viaTwilio, welcomed)]);
    expect(lead).toMatchObject({ success: true, is_new_user: true });
    expect(message).toMatchObject({ kind: 'welcome', status: 'cancelled', cancel_reason: 'opted_out', locked_until: null, provider_message_id: null });
    expect(twilioCalls().map((c) => c.form.get('To'))).toEqual([welcomed]);
    const [audits] = await query<{ n: number }>(db, `select count(*)::int as n from audit_log where method = 'SMS_SENT' and (request_id = '${String(message.id)}' or subject_id = '${lead.careos_user_id}')`);
    expect(audits!.n).toBe(0);
    const [details] = await query<{ n: number }>(db, `select count(*)::int as n from comms_audit where message_id = '${String(message.id)}'`);
    expect(details!.n).toBe(0);
    // The other welcome is sent and audited as ever, and the chain holds.
    expect(other.message.status).toBe('sent');
    const [otherAudit] = await query<{ n: number }>(db, `select count(*)::int as n from audit_log where method = 'SMS_SENT' and request_id = '${String(other.message.id)}'`);
    expect(otherAudit!.n).toBe(1);
    expect((await viaTwilio.app.services.audit.verifyChain()).ok).toBe(true);
  });

  it('uses the messaging service instead of a From number when configured', async () => {
    await ingest(viaService, uniquePhone());
    expect(twilioCalls()[0]!.form.get('MessagingServiceSid')).toBe('MG0123456789abcdef0123456789abcdef');
    expect(twilioCalls()[0]!.form.has('From')).toBe(false);
  });

  it('keeps the lead when Twilio refuses: message failed (no number in the error), alert raised, nothing logged with the phone', async () => {
    const phone = uniquePhone();
    twilio.failNext({ status: 400, code: 21211, message: `The 'To' number ${phone} is not a valid phone number.` });
    const { lead, message } = await ingest(viaTwilio, phone);
    expect(lead.success).toBe(true);
    expect(message.status).toBe('failed');
    expect(message.error).toBe("Twilio refused the message: 21211 The 'To' number [number] is not a valid phone number.");
    const alerts = await viaTwilio.app.services.alerts.list({ type: 'sms_failed' });
    const alert = alerts.find((a) => a.context.message_id === message.id);
    expect(alert).toMatchObject({ severity: 'warning', context: { lead_id: lead.careos_lead_id, provider: 'twilio' } });
    expect(JSON.stringify(alert)).not.toContain(phone.slice(2));
    const logs = viaTwilio.logs.join('\n');
    expect(logs).toContain('sms failed');
    expect(logs).not.toContain(phone.slice(2));
  });

  it('records an unreachable Twilio as a failed message too', async () => {
    const closed = await startFakeTwilio();
    await closed.close();
    const sms = createTwilioSmsProvider({ accountSid: closed.accountSid, authToken: closed.authToken, fromNumber: '+15005550006', messagingServiceSid: null, baseUrl: closed.url, retry: { sleep: async () => {} } });
    const unreachable = await startApp({ db, env: testEnv({ keys }), providers: { sms } });
    try {
      const { message } = await ingest(unreachable, uniquePhone());
      expect(message).toMatchObject({ status: 'failed', provider: 'twilio', error: 'Twilio unreachable: ECONNREFUSED' });
    } finally {
      await unreachable.close();
    }
  });

  it('logs console SMS with the number masked', async () => {
    const phone = uniquePhone();
    const { message } = await ingest(viaConsole, phone);
    expect(message).toMatchObject({ status: 'sent', provider: 'console' });
    const line = viaConsole.logs.find((l) => l.includes(String(message.id)) && l.includes('sms (console provider)'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!).to_masked).toBe(maskPhone(phone));
    expect(viaConsole.logs.join('\n')).not.toContain(phone.slice(2));
  });

  it('renews the lease of a message waiting to be sent only once less than a lease minus a heartbeat is left', async () => {
    const clock = new ManualClock();
    let release: (() => void) | null = null;
    const sms: SmsProvider = {
      name: 'console',
      send: async () => {
        await new Promise<void>((resolve) => (release = resolve));
        return { providerMessageId: null };
      },
    };
    // Default heartbeat (2 s), so the lease is 8 s; a lead's message is queued with a 10 s lease.
    const held = await startApp({ db, clock, env: testEnv({ keys }), providers: { sms } });
    try {
      const res = await call(held.url, 'POST', '/api/leads/ingest', { json: leadBody({ keys }), headers: partnerHeaders() });
      expect(res.status).toBe(200);
      await expect.poll(() => release !== null).toBe(true);
      const leaseEnd = async () => {
        const [row] = await query<{ ms: number }>(db, `select (extract(epoch from locked_until) * 1000)::float8 as ms from messages where lead_id = '${res.body.careos_lead_id}'`);
        return Number(row!.ms);
      };
      const queuedUntil = await leaseEnd();
      expect(queuedUntil).toBe(clock.now().getTime() + DISPATCH_LEASE_MS);
      // 10 s left of an 8 s lease: nothing to renew yet.
      clock.advance(3_000);
      await held.app.services.messages.renewLeases();
      expect(await leaseEnd()).toBe(queuedUntil);
      // 5.9 s left, less than 8 s minus one 2 s heartbeat: renewed to a full lease from now.
      clock.advance(1_100);
      await held.app.services.messages.renewLeases();
      expect(await leaseEnd()).toBe(clock.now().getTime() + 8_000);
    } finally {
      (release as (() => void) | null)?.();
      await held.close();
    }
  });
});
