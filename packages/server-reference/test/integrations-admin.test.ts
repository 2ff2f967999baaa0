import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import { TEST_EMAIL, TEST_SMS_BODY } from '../src/integrations/send-test.js';
import { FAKE_GOOGLE_CLIENT, startFakeGoogleOAuth } from './fakes/google-oauth.js';
import type { LocalApi } from './fakes/local-api.js';
import { FAKE_SENDGRID_API_KEY, startFakeSendGrid, type FakeSendGrid } from './fakes/sendgrid.js';
import { FAKE_TWILIO_ACCOUNT_SID, FAKE_TWILIO_AUTH_TOKEN, startFakeTwilio, type FakeTwilio } from './fakes/twilio.js';
import { FAKE_STRIPE_SECRET_KEY, startFakeStripe } from './fakes/stripe.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { adminHeaders, INTEGRATION_ADMIN } from './helpers/integration.js';
import { generateTestKeys } from './helpers/keys.js';
import { sdkStaff, staffSession } from './helpers/staff.js';

const keys = generateTestKeys();
const TEST_PHONE = '+15551234567';
const TEST_ADDRESS = 'ops-inbox@example.com';
const SECRETS = [FAKE_TWILIO_AUTH_TOKEN, FAKE_SENDGRID_API_KEY, FAKE_GOOGLE_CLIENT.clientSecret, FAKE_STRIPE_SECRET_KEY];

describe.each(backendNames())('POST /admin/integrations/test (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let twilio: FakeTwilio;
  let sendgrid: FakeSendGrid;
  let fakes: { close(): Promise<void> }[];
  let admin: Record<string, string>;

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    let google: LocalApi;
    let stripe: LocalApi;
    [twilio, sendgrid, google, stripe] = await Promise.all([startFakeTwilio(), startFakeSendGrid(), startFakeGoogleOAuth(), startFakeStripe()]);
    fakes = [twilio, sendgrid, google, stripe];
    const env = testEnv({
      keys,
      extra: {
        ...INTEGRATION_ADMIN,
        TWILIO_ACCOUNT_SID: FAKE_TWILIO_ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: FAKE_TWILIO_AUTH_TOKEN,
        TWILIO_FROM_NUMBER: '+15005550006',
        TWILIO_API_BASE_URL: twilio.url,
        SENDGRID_API_KEY: FAKE_SENDGRID_API_KEY,
        SENDGRID_FROM_EMAIL: 'noreply@careos.test',
        SENDGRID_API_BASE_URL: sendgrid.url,
        GOOGLE_CLIENT_ID: FAKE_GOOGLE_CLIENT.clientId,
        GOOGLE_CLIENT_SECRET: FAKE_GOOGLE_CLIENT.clientSecret,
        GOOGLE_REDIRECT_URI: FAKE_GOOGLE_CLIENT.redirectUri,
        GOOGLE_OAUTH_BASE_URL: google.url,
        STRIPE_SECRET_KEY: FAKE_STRIPE_SECRET_KEY,
        STRIPE_API_BASE_URL: stripe.url,
        TEST_PHONE_NUMBER: TEST_PHONE,
        TEST_EMAIL: TEST_ADDRESS,
      },
    });
    // No provider overrides: the server picks the Twilio and SendGrid adapters from the environment.
    server = await startApp({ db, env });
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
    expect(res.body.results[0]).toMatchObject({ name: 'Twilio', detail: 'Account active, from +15005550006', ids: { account_sid: 'AC00…0001' } });
    expect(res.body.results[0].test_send).toBeUndefined();
    expect(twilio.requestsTo('send')).toEqual([]);
    expect(sendgrid.requestsTo('send')).toEqual([]);
    for (const secret of [...SECRETS, FAKE_TWILIO_ACCOUNT_SID]) expect(res.text).not.toContain(secret);

    await server.app.flush();
    const rows = await query<{ route: string; status: number; actor_type: string }>(db, `select route, status, actor_type from audit_log where request_id = 'selftest-plain'`);
    expect(rows).toEqual([{ route: '/admin/integrations/test', status: 200, actor_type: 'staff' }]);
    expect(server.logs.join('\n')).toContain('integration self-test');
    for (const secret of SECRETS) expect(server.logs.join('\n')).not.toContain(secret);
  });

  it('with send_test, sends the test SMS and email through the configured providers and reports their ids', async () => {
    const res = await call(server.url, 'POST', '/admin/integrations/test', { json: { send_test: true }, headers: admin });
    expect(res.status).toBe(200);
    expect(twilio.messages).toHaveLength(1);
    expect(twilio.messages[0]).toMatchObject({ to: TEST_PHONE, body: TEST_SMS_BODY, from: '+15005550006' });
    expect(res.body.results[0]).toMatchObject({ status: 'ok', test_send: { status: 'ok', id: twilio.messages[0]!.sid, detail: 'SMS sent successfully to +15•••••••67' } });
    expect(sendgrid.emails).toEqual([expect.objectContaining({ to: TEST_ADDRESS, from: 'noreply@careos.test', subject: TEST_EMAIL.subject, text: TEST_EMAIL.text })]);
    expect(res.body.results[1]).toMatchObject({ status: 'ok', test_send: { status: 'ok', id: sendgrid.emails[0]!.xMessageId, detail: 'Email sent successfully to o…@example.com' } });
    expect(res.text).not.toContain(TEST_PHONE);
    expect(res.text).not.toContain(TEST_ADDRESS);
    expect(server.logs.join('\n')).not.toContain(TEST_PHONE);
  });

  it('is the SDK’s admin.integrations.test()', async () => {
    const clients = await sdkStaff(server);
    try {
      const report = await clients.admin.admin.integrations.test();
      expect(report.results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'not_configured', 'not_configured', 'ok']);
      await expect(clients.staff.admin.integrations.test({ send_test: false })).rejects.toMatchObject({ status: 403 });
    } finally {
      await clients.close();
    }
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
