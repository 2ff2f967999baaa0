import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIntegrationSettings, type IntegrationSettings } from '../src/config/integrations-config.js';
import { runIntegrationChecks } from '../src/integrations/run-checks.js';
import { SELF_TEST_CODE } from '../src/integrations/oauth-checks.js';
import { FAKE_GOOGLE_CLIENT, startFakeGoogleOAuth, type FakeGoogleOAuth } from './fakes/google-oauth.js';
import type { LocalApi } from './fakes/local-api.js';
import { FAKE_MICROSOFT_CLIENT, startFakeMicrosoftOAuth } from './fakes/microsoft-oauth.js';
import { FAKE_OPENAI_API_KEY, startFakeOpenAI } from './fakes/openai.js';
import { FAKE_STRIPE_SECRET_KEY, startFakeStripe } from './fakes/stripe.js';

let google: FakeGoogleOAuth;
let microsoft: LocalApi;
let openai: LocalApi;
let stripe: LocalApi;
let restrictedStripe: LocalApi;
let quotaOpenAI: LocalApi;

beforeAll(async () => {
  [google, microsoft, openai, stripe, restrictedStripe, quotaOpenAI] = await Promise.all([
    startFakeGoogleOAuth(),
    startFakeMicrosoftOAuth(),
    startFakeOpenAI(),
    startFakeStripe(),
    startFakeStripe({ secretKey: 'rk_test_fakerestrictedkey000000000000000001', restricted: true }),
    startFakeOpenAI({ quotaExceeded: true }),
  ]);
});
afterAll(async () => {
  await Promise.all([google, microsoft, openai, stripe, restrictedStripe, quotaOpenAI].map((api) => api?.close()));
});

/** Settings from an environment, as the server reads them. */
function settings(env: Record<string, string>): IntegrationSettings {
  const problems: string[] = [];
  const parsed = readIntegrationSettings((name) => env[name]?.trim() || undefined, problems);
  expect(problems).toEqual([]);
  return parsed;
}

/** Every fake of this file, with the right credentials. */
function goodEnv(): Record<string, string> {
  return {
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
}

const SECRETS = [FAKE_GOOGLE_CLIENT.clientSecret, FAKE_MICROSOFT_CLIENT.clientSecret, FAKE_OPENAI_API_KEY, FAKE_STRIPE_SECRET_KEY];

describe('integration self-test checks', () => {
  it('reports every service not_configured (not failed) when nothing is set', async () => {
    const report = await runIntegrationChecks(settings({}));
    expect(report.ok).toBe(true);
    expect(report.results.map((r) => [r.service, r.name, r.status])).toEqual([
      ['twilio', 'Twilio', 'not_configured'],
      ['sendgrid', 'Sendgrid', 'not_configured'],
      ['google_calendar', 'GoogleCalendar', 'not_configured'],
      ['microsoft_outlook', 'Outlook', 'not_configured'],
      ['openai', 'OpenAI', 'not_configured'],
      ['stripe', 'Stripe', 'not_configured'],
    ]);
  });

  it('accepts right credentials, verifying the OAuth clients with an invalid code and never echoing a secret', async () => {
    google.requests.length = 0;
    microsoft.requests.length = 0;
    const report = await runIntegrationChecks(settings(goodEnv()));
    const byService = Object.fromEntries(report.results.map((r) => [r.service, r]));
    expect(report.ok).toBe(true);
    expect(byService.google_calendar).toMatchObject({ status: 'ok', ids: { client_id: '1234….com' } });
    expect(byService.google_calendar!.detail).toContain('invalid_grant');
    expect(byService.microsoft_outlook).toMatchObject({ status: 'ok', ids: { client_id: '0000…4444' } });
    expect(byService.openai).toMatchObject({ status: 'ok', detail: 'API key accepted, 3 models available' });
    expect(byService.stripe).toMatchObject({ status: 'ok', ids: { account: 'acct…ct01' } });
    expect(byService.stripe!.detail).toContain('test mode');

    // The token endpoints saw the deliberately invalid code: nothing was issued.
    expect(google.requests.map((r) => Object.fromEntries(r.form))).toEqual([
      { grant_type: 'authorization_code', code: SELF_TEST_CODE, client_id: FAKE_GOOGLE_CLIENT.clientId, client_secret: FAKE_GOOGLE_CLIENT.clientSecret, redirect_uri: FAKE_GOOGLE_CLIENT.redirectUri },
    ]);
    expect(microsoft.requests.map((r) => r.path)).toEqual(['/common/oauth2/v2.0/token']);
    expect(microsoft.requests[0]!.form.get('code')).toBe(SELF_TEST_CODE);
    for (const secret of SECRETS) expect(JSON.stringify(report)).not.toContain(secret);
  });

  it('fails each service with wrong credentials, naming what to check and quoting no secret or description', async () => {
    const env = {
      ...goodEnv(),
      GOOGLE_CLIENT_SECRET: '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456',
      MICROSOFT_CLIENT_SECRET: 'wrong~microsoft~secret~value~9999',
      OPENAI_API_KEY: 'sk-proj-wrongopenaikey00000000000000000009999',
      STRIPE_SECRET_KEY: 'sk_test_wrongstripekey0000000000000000000009999',
    };
    const report = await runIntegrationChecks(settings(env));
    expect(report.ok).toBe(false);
    const byService = Object.fromEntries(report.results.map((r) => [r.service, r]));
    expect(byService.google_calendar).toMatchObject({ status: 'failed', detail: 'Google refused the client (invalid_client): check GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET' });
    expect(byService.microsoft_outlook).toMatchObject({ status: 'failed', detail: 'Microsoft refused the client (invalid_client, AADSTS7000215): check MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET' });
    expect(byService.openai).toMatchObject({ status: 'failed', detail: 'OpenAI refused OPENAI_API_KEY (HTTP 401, invalid_api_key)' });
    expect(byService.stripe).toMatchObject({ status: 'failed', detail: 'Stripe refused STRIPE_SECRET_KEY (HTTP 401, invalid_request_error)' });
    const text = JSON.stringify(report);
    for (const secret of [...Object.values(env).filter((v) => /secret|sk_|sk-/.test(v)), ...SECRETS]) expect(text).not.toContain(secret);
    // The providers' messages quote the keys' last characters: none of them is passed on.
    expect(text).not.toMatch(/9999|\*\*\*\*/);
  });

  it('tells an unknown client from a wrong secret, and a missing variable from a wrong one', async () => {
    const report = await runIntegrationChecks(
      settings({
        ...goodEnv(),
        GOOGLE_CLIENT_ID: 'unknown-client.apps.googleusercontent.com',
        MICROSOFT_CLIENT_ID: '99999999-8888-7777-6666-555555555555',
        OPENAI_API_KEY: '',
        STRIPE_SECRET_KEY: 'pk_test_publishablekey000000000000000000001',
      }),
    );
    const byService = Object.fromEntries(report.results.map((r) => [r.service, r]));
    expect(byService.google_calendar!.detail).toBe('Google refused the client (invalid_client): check GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET');
    expect(byService.microsoft_outlook!.detail).toBe('Microsoft does not know this client or forbids it this grant (unauthorized_client, AADSTS700016): check MICROSOFT_CLIENT_ID');
    expect(byService.microsoft_outlook!.detail).not.toContain('99999999-8888');
    expect(byService.openai!.status).toBe('not_configured');
    expect(byService.stripe).toMatchObject({ status: 'failed', detail: expect.stringContaining('publishable key') });

    const partial = await runIntegrationChecks(settings({ GOOGLE_CLIENT_ID: FAKE_GOOGLE_CLIENT.clientId, MICROSOFT_CLIENT_SECRET: 'x', MICROSOFT_REDIRECT_URI: 'http://localhost/cb' }));
    expect(partial.results[2]).toMatchObject({ status: 'failed', detail: 'GOOGLE_CLIENT_SECRET and GOOGLE_REDIRECT_URI are not set' });
    expect(partial.results[3]).toMatchObject({ status: 'failed', detail: 'MICROSOFT_CLIENT_ID is not set' });
    expect(partial.ok).toBe(false);
  });

  it('checks a restricted Stripe key on the balance, and reports an exhausted OpenAI quota', async () => {
    const report = await runIntegrationChecks(
      settings({ STRIPE_SECRET_KEY: 'rk_test_fakerestrictedkey000000000000000001', STRIPE_API_BASE_URL: restrictedStripe.url, OPENAI_API_KEY: FAKE_OPENAI_API_KEY, OPENAI_BASE_URL: `${quotaOpenAI.url}/v1` }),
    );
    expect(report.results[5]).toMatchObject({ status: 'ok', detail: 'Restricted key accepted (test mode); it may read the balance, not the account' });
    expect(report.results[4]).toMatchObject({ status: 'failed', detail: 'OpenAI accepted the key but refuses requests (HTTP 429, insufficient_quota): rate limit or quota' });
  });

  it('fails a service that does not answer within the timeout, and one that is unreachable, without holding up the others', async () => {
    google.hangNext();
    const closed = await startFakeOpenAI();
    const closedUrl = closed.url;
    await closed.close();
    const report = await runIntegrationChecks(settings({ ...goodEnv(), OPENAI_BASE_URL: `${closedUrl}/v1` }), { timeoutMs: 300 });
    expect(report.results[2]).toMatchObject({ service: 'google_calendar', status: 'failed', detail: 'No answer: no answer within 0.3 s' });
    expect(report.results[4]).toMatchObject({ service: 'openai', status: 'failed', detail: 'No answer: unreachable (ECONNREFUSED)' });
    expect(report.results[3]!.status).toBe('ok');
    expect(report.results[5]!.status).toBe('ok');
  });

  it('refuses malformed base URLs and flags when reading the settings', () => {
    const problems: string[] = [];
    readIntegrationSettings((name) => ({ OPENAI_BASE_URL: 'ftp://x', TWILIO_HIPAA_ENABLED: 'maybe', MICROSOFT_TENANT: 'a/b' })[name], problems);
    expect(problems).toEqual([
      'MICROSOFT_TENANT must be common, organizations, consumers, a tenant id or a domain',
      'TWILIO_HIPAA_ENABLED must be true or false',
      'OPENAI_BASE_URL must be an http(s) URL such as https://api.example.com (no query, fragment or credentials)',
    ]);
  });
});

describe('integration self-test checks of the messaging providers', () => {
  it('fails a SendGrid key without mail.send, a wrong key, and a suspended Twilio account', async () => {
    const { FAKE_SENDGRID_API_KEY, startFakeSendGrid } = await import('./fakes/sendgrid.js');
    const { FAKE_TWILIO_ACCOUNT_SID, FAKE_TWILIO_AUTH_TOKEN, startFakeTwilio } = await import('./fakes/twilio.js');
    const [readOnly, sendgrid, twilio] = await Promise.all([startFakeSendGrid({ scopes: ['user.profile.read'] }), startFakeSendGrid(), startFakeTwilio()]);
    try {
      const base = { SENDGRID_API_KEY: FAKE_SENDGRID_API_KEY, SENDGRID_FROM_EMAIL: 'noreply@careos.test', TWILIO_ACCOUNT_SID: FAKE_TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: FAKE_TWILIO_AUTH_TOKEN, TWILIO_API_BASE_URL: twilio.url };
      const scopes = await runIntegrationChecks(settings({ ...base, SENDGRID_API_BASE_URL: readOnly.url }));
      expect(scopes.results[1]).toMatchObject({ status: 'failed', detail: 'The API key lacks the mail.send scope: give it Mail Send access in SendGrid' });
      // Twilio's account is fine but no sender is configured.
      expect(scopes.results[0]).toMatchObject({ status: 'failed', detail: 'Account active, but TWILIO_FROM_NUMBER is not set (nor TWILIO_MESSAGING_SERVICE_SID): no sender' });

      const wrong = await runIntegrationChecks(settings({ ...base, SENDGRID_API_KEY: 'SG.wrong.wrong-key-value-000009999', SENDGRID_API_BASE_URL: sendgrid.url, TWILIO_MESSAGING_SERVICE_SID: `MG${'a'.repeat(32)}` }));
      expect(wrong.results[1]).toMatchObject({ status: 'failed', detail: expect.stringMatching(/^SendGrid refused SENDGRID_API_KEY \(HTTP 401/) });
      expect(wrong.results[0]).toMatchObject({ status: 'ok', detail: 'Account active, messaging service MGaa…aaaa' });
      expect(JSON.stringify(wrong)).not.toMatch(/9999|wrong-key-value/);
    } finally {
      await Promise.all([readOnly.close(), sendgrid.close(), twilio.close()]);
    }
  });
});
