import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { unsafeSettingWarnings } from '../src/integrations/warnings.js';
import { openDatabase } from '../src/index.js';
import { startApp, testEnv } from './helpers/app.js';
import { generateTestKeys } from './helpers/keys.js';

const consoleProviders = { sms: { name: 'console' }, email: { name: 'console' } } as const;
const real = { sms: { name: 'twilio' }, email: { name: 'sendgrid' } } as const;
const MASTER = { CAREOS_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') };

/** The warnings for an environment and the providers' names. */
function warningsFor(env: Record<string, string>, providers: { sms: { name: string }; email: { name: string } } = consoleProviders): string[] {
  return unsafeSettingWarnings(loadConfig(env), providers as never);
}

describe('start-time warnings about unsafe settings', () => {
  it('says nothing for a plain development environment or a safe production one', () => {
    expect(warningsFor({})).toEqual([]);
    expect(warningsFor({ CAREOS_ENV: 'production', ...MASTER, TWILIO_HIPAA_ENABLED: 'true', CAREOS_PUBLIC_URL: 'https://api.example.com' }, real)).toEqual([]);
  });

  it('warns once per unsafe combination, naming variables but no values', () => {
    const secretToken = 'twilio-secret-token-value-1234';
    const warnings = warningsFor(
      {
        CAREOS_ENV: 'production',
        ...MASTER,
        TWILIO_HIPAA_ENABLED: 'true',
        SENDGRID_HIPAA_ENABLED: 'yes',
        OPENAI_BASE_URL: 'http://openai-proxy.internal/v1',
        STRIPE_API_BASE_URL: 'http://127.0.0.1:9999',
        GOOGLE_REDIRECT_URI: 'http://app.example.com/calendar/google/callback',
        TWILIO_AUTH_TOKEN: secretToken,
        TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
        TWILIO_FROM_NUMBER: '+15005550006',
      },
      { sms: { name: 'console' }, email: { name: 'console' } },
    );
    expect(warnings).toEqual([
      'TWILIO_HIPAA_ENABLED is on but SMS go to the console provider (TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN unset): the flag has no provider to vouch for',
      'SENDGRID_HIPAA_ENABLED is on but email goes to the console provider (SENDGRID_API_KEY unset): the flag has no provider to vouch for',
      'SENDGRID_HIPAA_ENABLED is on: SendGrid states it is not HIPAA compliant; turn it on only under a signed agreement that covers PHI in email',
      'A HIPAA flag is on in production but CAREOS_PUBLIC_URL is not set: delivery status callbacks cannot be verified behind a proxy',
      'OPENAI_BASE_URL is plain http to a non-loopback host in production: credentials would cross the network unencrypted',
      'GOOGLE_REDIRECT_URI is plain http in production: authorization codes would cross the network unencrypted',
    ]);
    expect(warnings.join('\n')).not.toContain(secretToken);
  });

  it('are logged by the server at start, one warning line each', async () => {
    const db = await openDatabase({});
    const server = await startApp({ db, env: testEnv({ keys: generateTestKeys(), extra: { TWILIO_HIPAA_ENABLED: 'true' } }) });
    try {
      const warnings = server.logs.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((line) => line.level === 40 && /HIPAA/.test(line.msg));
      expect(warnings.map((line) => line.msg)).toEqual([expect.stringMatching(/^TWILIO_HIPAA_ENABLED is on but SMS go to the console provider/)]);
    } finally {
      await server.close();
      await db.close();
    }
  });
});
