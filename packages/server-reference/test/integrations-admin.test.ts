import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwilioSmsProvider, type Database } from '../src/index.js';
import { TEST_EMAIL, TEST_SMS_BODY } from '../src/integrations/send-test.js';
import type { EmailBatch, EmailProvider } from '../src/providers/types.js';
import { FAKE_GOOGLE_CLIENT, startFakeGoogleOAuth } from './fakes/google-oauth.js';
import type { LocalApi } from './fakes/local-api.js';
import { SELFTEST_SENDGRID_API_KEY, startSelftestSendGrid } from './fakes/selftest-sendgrid.js';
import { SELFTEST_TWILIO, startSelftestTwilio } from './fakes/selftest-twilio.js';
import { FAKE_STRIPE_SECRET_KEY, startFakeStripe } from './fakes/stripe.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { adminHeaders, INTEGRATION_ADMIN } from './helpers/integration.js';
import { generateTestKeys } from './helpers/keys.js';
import { staffSession } from './helpers/staff.js';

const keys = generateTestKeys();
const TEST_PHONE = '+15551234567';
const TEST_ADDRESS = 'ops-inbox@example.com';
const SECRETS = [SELFTEST_TWILIO.authToken, SELFTEST_SENDGRID_API_KEY, FAKE_GOOGLE_CLIENT.clientSecret, FAKE_STRIPE_SECRET_KEY];

describe.each(backendNames())('POST /admin/integrations/test (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let twilio: LocalApi & { sent: { to: string; body: string; sid: string }[] };
  let fakes: LocalApi[];
  const emails: EmailBatch[] = [];
  let admin: Record<string, string>;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    twilio = await startSelftestTwilio();
    const [sendgrid, google, stripe] = await Promise.all([startSelftestSendGrid(), startFakeGoogleOAuth(), startFakeStripe()]);
    fakes = [twilio, sendgrid!, google!, stripe!];
    // A recording email provider until SendGrid's adapter is selected from the environment.
    const email: EmailProvider = {
      name: 'sendgrid',
      async send(batch) {
        emails.push(batch);
        return batch.recipients.map((_, i) => ({ ok: true, providerMessageId: `sg-message-${i}` }));
      },
    };
    const env = testEnv({
      keys,
      extra: {
        ...INTEGRATION_ADMIN,
        TWILIO_ACCOUNT_SID: SELFTEST_TWILIO.accountSid,
        TWILIO_AUTH_TOKEN: SELFTEST_TWILIO.authToken,
        TWILIO_FROM_NUMBER: '+15005550006',
        TWILIO_API_BASE_URL: twilio.url,
        SENDGRID_API_KEY: SELFTEST_SENDGRID_API_KEY,
        SENDGRID_FROM_EMAIL: 'noreply@careos.test',
        SENDGRID_API_BASE_URL: sendgrid!.url,
        GOOGLE_CLIENT_ID: FAKE_GOOGLE_CLIENT.clientId,
        GOOGLE_CLIENT_SECRET: FAKE_GOOGLE_CLIENT.clientSecret,
        GOOGLE_REDIRECT_URI: FAKE_GOOGLE_CLIENT.redirectUri,
        GOOGLE_OAUTH_BASE_URL: google!.url,
        STRIPE_SECRET_KEY: FAKE_STRIPE_SECRET_KEY,
        STRIPE_API_BASE_URL: stripe!.url,
        TEST_PHONE_NUMBER: TEST_PHONE,
        TEST_EMAIL: TEST_ADDRESS,
      },
    });
    const sms = createTwilioSmsProvider({ accountSid: SELFTEST_TWILIO.accountSid, authToken: SELFTEST_TWILIO.authToken, fromNumber: '+15005550006', messagingServiceSid: null, baseUrl: twilio.url });
    server = await startApp({ db, env, providers: { sms, email } });
    admin = await adminHeaders(server);
  });
  afterAll(async () => {
    await server?.close();
    await Promise.all((fakes ?? []).map((fake) => fake.close()));
    await backend?.dispose();
  });

  it('checks every service for an admin, masks identifiers, echoes no secret, sends nothing, and is audited', async () => {
    const res = await call(server.url, 'POST', '/admin/integrations/test', { json: {}, headers: { ...admin, 'x-request-id': 'selftest-plain' } });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.results.map((r: { service: string; status: string }) => `${r.service}:${r.status}`)).toEqual([
      'twilio:ok',
      'sendgrid:ok',
      'google_calendar:ok',
      'microsoft_outlook:not_configured',
      'openai:not_configured',
      'stripe:ok',
    ]);
    expect(res.body.results[0]).toMatchObject({ name: 'Twilio', detail: 'Account active, from +15005550006', ids: { account_sid: 'AC00…0007' } });
    expect(res.body.results[0].test_send).toBeUndefined();
    expect(twilio.sent).toEqual([]);
    expect(emails).toEqual([]);
    for (const secret of [...SECRETS, SELFTEST_TWILIO.accountSid]) expect(res.text).not.toContain(secret);

    await server.app.flush();
    const rows = await query<{ route: string; status: number; actor_type: string }>(db, `select route, status, actor_type from audit_log where request_id = 'selftest-plain'`);
    expect(rows).toEqual([{ route: '/admin/integrations/test', status: 200, actor_type: 'staff' }]);
    expect(server.logs.join('\n')).toContain('integration self-test');
    for (const secret of SECRETS) expect(server.logs.join('\n')).not.toContain(secret);
  });

  it('with send_test, sends the test SMS and email through the configured providers and reports their ids', async () => {
    const res = await call(server.url, 'POST', '/admin/integrations/test', { json: { send_test: true }, headers: admin });
    expect(res.status).toBe(200);
    expect(twilio.sent).toHaveLength(1);
    expect(twilio.sent[0]).toMatchObject({ to: TEST_PHONE, body: TEST_SMS_BODY });
    expect(res.body.results[0]).toMatchObject({ status: 'ok', test_send: { status: 'ok', id: twilio.sent[0]!.sid, detail: 'SMS sent successfully to +15•••••••67' } });
    expect(emails).toEqual([{ content: { subject: TEST_EMAIL.subject, text: TEST_EMAIL.text, templateId: null }, recipients: [{ messageId: expect.stringMatching(/^msg_test_/), to: TEST_ADDRESS }] }]);
    expect(res.body.results[1]).toMatchObject({ status: 'ok', test_send: { status: 'ok', id: 'sg-message-0', detail: 'Email sent successfully to o…@example.com' } });
    expect(res.text).not.toContain(TEST_PHONE);
    expect(res.text).not.toContain(TEST_ADDRESS);
    expect(server.logs.join('\n')).not.toContain(TEST_PHONE);
  });

  it('is for admins only and refuses a malformed body', async () => {
    const staff = await staffSession(server, 'staff');
    expect((await call(server.url, 'POST', '/admin/integrations/test', { json: {}, headers: staff.headers })).status).toBe(403);
    expect((await call(server.url, 'POST', '/admin/integrations/test', { json: {} })).status).toBe(401);
    const bad = await call(server.url, 'POST', '/admin/integrations/test', { json: { send_test: 'yes' }, headers: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBeTypeOf('string');
  });
});
