import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_GOOGLE_CLIENT, startFakeGoogleOAuth } from '../../../../server-reference/test/fakes/google-oauth.js';
import type { LocalApi } from '../../../../server-reference/test/fakes/local-api.js';
import { FAKE_MICROSOFT_CLIENT, startFakeMicrosoftOAuth } from '../../../../server-reference/test/fakes/microsoft-oauth.js';
import { FAKE_OPENAI_API_KEY, startFakeOpenAI } from '../../../../server-reference/test/fakes/openai.js';
import { FAKE_SENDGRID_API_KEY, startFakeSendGrid, type FakeSendGrid } from '../../../../server-reference/test/fakes/sendgrid.js';
import { FAKE_TWILIO_ACCOUNT_SID, FAKE_TWILIO_AUTH_TOKEN, startFakeTwilio, type FakeTwilio } from '../../../../server-reference/test/fakes/twilio.js';
import { FAKE_STRIPE_SECRET_KEY, startFakeStripe } from '../../../../server-reference/test/fakes/stripe.js';
import { runCli, tempDir } from '../../../test/helpers/cli.js';

let fakes: { close(): Promise<void> }[] = [];
let twilio: FakeTwilio;
let sendgrid: FakeSendGrid;
let google: Awaited<ReturnType<typeof startFakeGoogleOAuth>>;
let right: Record<string, string>;

beforeAll(async () => {
  let microsoft: LocalApi;
  let openai: LocalApi;
  let stripe: LocalApi;
  [twilio, sendgrid, google, microsoft, openai, stripe] = await Promise.all([startFakeTwilio(), startFakeSendGrid(), startFakeGoogleOAuth(), startFakeMicrosoftOAuth(), startFakeOpenAI(), startFakeStripe()]);
  fakes = [twilio, sendgrid, google, microsoft, openai, stripe];
  right = {
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
    MICROSOFT_CLIENT_ID: FAKE_MICROSOFT_CLIENT.clientId,
    MICROSOFT_CLIENT_SECRET: FAKE_MICROSOFT_CLIENT.clientSecret,
    MICROSOFT_REDIRECT_URI: FAKE_MICROSOFT_CLIENT.redirectUri,
    MICROSOFT_LOGIN_BASE_URL: microsoft.url,
    OPENAI_API_KEY: FAKE_OPENAI_API_KEY,
    OPENAI_BASE_URL: `${openai.url}/v1`,
    STRIPE_SECRET_KEY: FAKE_STRIPE_SECRET_KEY,
    STRIPE_API_BASE_URL: stripe.url,
  };
});
afterAll(async () => {
  await Promise.all(fakes.map((fake) => fake.close()));
});

/** A .env file of these variables, as the seed's backend/.env. */
function envFile(vars: Record<string, string>): string {
  const path = join(tempDir(), '.env');
  writeFileSync(path, Object.entries(vars).map(([name, value]) => `${name}=${value}`).join('\n'));
  return path;
}

const SECRETS = () => [FAKE_TWILIO_AUTH_TOKEN, FAKE_SENDGRID_API_KEY, FAKE_GOOGLE_CLIENT.clientSecret, FAKE_MICROSOFT_CLIENT.clientSecret, FAKE_OPENAI_API_KEY, FAKE_STRIPE_SECRET_KEY, FAKE_TWILIO_ACCOUNT_SID];

describe('careos integrations test', () => {
  it('prints the seed’s layout and exits 0 when every credential is right, sending nothing and showing no secret', async () => {
    const result = await runCli(['integrations', 'test', '--env', envFile(right)]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        [
          '^🧪 Testing CareOS Third-Party Integrations\\n\\n',
          '📱 Testing Twilio \\(SMS\\)\\.\\.\\.\\n   ✅ Account active, from \\+15005550006\\n   Account SID: AC00…0001\\n\\n',
          '📧 Testing SendGrid \\(Email\\)\\.\\.\\.\\n   ✅ API key may send mail \\(mail\\.send\\), from noreply@careos\\.test\\n\\n',
          '📅 Checking Google Calendar credentials\\.\\.\\.\\n   ✅ Google Calendar credentials found: .*\\n   Client ID: 1234….com\\n\\n',
          '📅 Checking Microsoft Outlook credentials\\.\\.\\.\\n   ✅ Microsoft Outlook credentials found: .*\\n   Client ID: 0000…4444\\n\\n',
          '🤖 Checking OpenAI API key\\.\\.\\.\\n   ✅ API key accepted, 3 models available\\n\\n',
          '💳 Checking Stripe credentials\\.\\.\\.\\n   ✅ Secret key accepted \\(test mode\\)\\n   Account: acct…ct01\\n\\n',
          '📊 Test Results Summary:\\n   ✅ Twilio\\n   ✅ Sendgrid\\n   ✅ GoogleCalendar\\n   ✅ Outlook\\n   ✅ OpenAI\\n   ✅ Stripe\\n$',
        ].join(''),
      ),
    );
    expect(twilio.requestsTo('send')).toEqual([]);
    expect(sendgrid.requestsTo('send')).toEqual([]);
    for (const secret of SECRETS()) expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('exits 1 naming the service whose credentials are wrong, and --json gives the same report', async () => {
    const file = envFile({ ...right, MICROSOFT_CLIENT_SECRET: 'wrong~microsoft~secret~value~9999', TWILIO_AUTH_TOKEN: 'wrong-twilio-auth-token-000009999' });
    const result = await runCli(['integrations', 'test', '--env', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('   ❌ Twilio refused the credentials (HTTP 401, 20003 Authenticate): check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN\n');
    expect(result.stdout).toContain('   ❌ Microsoft refused the client (invalid_client, AADSTS7000215): check MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET\n');
    expect(result.stdout).toContain('📊 Test Results Summary:\n   ❌ Twilio\n   ✅ Sendgrid\n   ✅ GoogleCalendar\n   ❌ Outlook\n   ✅ OpenAI\n   ✅ Stripe\n');
    expect(result.stdout + result.stderr).not.toMatch(/9999|wrong~microsoft|wrong-twilio/);

    const json = await runCli(['integrations', 'test', '--env', file, '--json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.ok).toBe(false);
    expect(report.results.filter((r: { status: string }) => r.status === 'failed').map((r: { service: string }) => r.service)).toEqual(['twilio', 'microsoft_outlook']);
  });

  it('--send-test sends the test SMS and prints its Message SID; a service that hangs fails at --timeout', async () => {
    google.hangNext();
    const result = await runCli(['integrations', 'test', '--env', envFile({ ...right, TEST_PHONE_NUMBER: '+15551234567', TEST_EMAIL: 'me@example.com' }), '--send-test', '--timeout', '0.5']);
    expect(twilio.messages.map((m) => m.to)).toEqual(['+15551234567']);
    expect(result.stdout).toContain(`   ✅ SMS sent successfully!\n   Message SID: ${twilio.messages[0]!.sid}\n`);
    expect(sendgrid.emails.map((m) => m.to)).toEqual(['me@example.com']);
    expect(result.stdout).toContain(`   ✅ Email sent successfully!\n   Message ID: ${sendgrid.emails[0]!.xMessageId}\n`);
    expect(result.stdout).not.toContain('me@example.com');
    expect(result.stdout).toContain('📅 Checking Google Calendar credentials...\n   ❌ No answer: no answer within 0.5 s\n');
    expect(result.stdout).not.toContain('+15551234567');
    expect(result.code).toBe(1);
  });

  it('refuses a malformed setting and a bad --timeout as usage errors', async () => {
    const bad = await runCli(['integrations', 'test', '--env', envFile({ OPENAI_BASE_URL: 'ftp://example.com' })]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('OPENAI_BASE_URL must be an http(s) URL');
    expect((await runCli(['integrations', 'test', '--timeout', '0'])).code).toBe(2);
    expect((await runCli(['integrations', 'test', '--env', join(tempDir(), 'missing.env')])).code).toBe(2);
  });
});
