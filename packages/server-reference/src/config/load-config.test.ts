import { generateKeyPairSync } from 'node:crypto';
import { publicKeyId } from '@careos/contract';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';

const pair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { priv: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), pub: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
};
/** The seed's `.env` style: one line, quoted, `\n` escapes. */
const oneLine = (pem: string) => `"${pem.trim().replace(/\n/g, '\\n')}"`;
const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
};

/** Production mode needs a master key. */
const masterKey = { CAREOS_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') };

describe('loadConfig', () => {
  it('reads the mode from CAREOS_ENV, falling back to NODE_ENV=production', () => {
    expect(loadConfig({ CAREOS_ENV: 'production', ...masterKey }).mode).toBe('production');
    expect(loadConfig({ NODE_ENV: 'production', ...masterKey }).mode).toBe('production');
    expect(loadConfig({ CAREOS_ENV: 'development', NODE_ENV: 'production' }).mode).toBe('development');
    expect(loadConfig({ NODE_ENV: 'test' }).mode).toBe('development');
    expect(problemsOf({ CAREOS_ENV: 'prod' })).toEqual(['CAREOS_ENV must be production or development']);
  });

  it('refuses private webhook receivers and plain http in production unless told otherwise', () => {
    expect(loadConfig({ CAREOS_ENV: 'production', ...masterKey }).webhooks).toMatchObject({ requireHttps: true, allowPrivate: 'none' });
    expect(loadConfig({}).webhooks).toMatchObject({ requireHttps: false, allowPrivate: 'private' });
    expect(loadConfig({ CAREOS_ENV: 'production', ...masterKey, CAREOS_WEBHOOK_ALLOW_PRIVATE: 'Loopback' }).webhooks.allowPrivate).toBe('loopback');
    expect(loadConfig({ CAREOS_WEBHOOK_ALLOW_PRIVATE: 'none' }).webhooks.allowPrivate).toBe('none');
    expect(problemsOf({ CAREOS_WEBHOOK_ALLOW_PRIVATE: 'all' })).toEqual(['CAREOS_WEBHOOK_ALLOW_PRIVATE must be none, loopback or private']);
  });

  it('has working defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      mode: 'development',
      partners: [],
      encryption: { privateKey: null, previousPrivateKey: null },
      admin: null,
      jwtSecret: null,
      integrationTokenTtlSeconds: 3600,
      staffAccessTokenTtlSeconds: 900,
      staffRefreshTokenTtlSeconds: 30 * 86_400,
      defaultCountry: 'US',
      rateLimits: { leads: 100, integration: 100 },
      loginLimits: { windowSeconds: 900, maxFailuresPerAccountAddress: 10, maxFailuresPerAccount: 50, maxAttemptsPerAddress: 100, maxSecretFailuresPerKey: 10 },
      minPayoutCents: 2500,
      redisUrl: null,
      rateLimitPrefix: 'careos:rl',
      twilio: null,
      sendgrid: null,
      stripe: null,
      bodyLimitBytes: 100 * 1024,
      databaseUrl: null,
      logLevel: 'info',
    });
  });

  it("reads the seed's partner configuration, several keys and per-partner settings", () => {
    const config = loadConfig({
      CAREOS_PARTNERS: 'BusinessOS, carelink',
      BUSINESSOS_API_KEY: '"businessos_live_xxxxxxxxxxxxxxxx", businessos_live_yyyyyyyyyyyyyyyy',
      PHONE_HASH_SALT: 'shared-salt',
      CARELINK_API_KEY: 'carelink_live_zzzzzzzzzzzz',
      CARELINK_PHONE_HASH_SALT: 'own-salt',
      CARELINK_NAME: 'CareLink',
      CARELINK_MIN_PAYOUT: '12.50',
      CARELINK_PAYOUT_DESTINATION: 'acct_123',
    });
    expect(config.partners).toEqual([
      { platform: 'businessos', name: 'businessos', apiKeys: ['businessos_live_xxxxxxxxxxxxxxxx', 'businessos_live_yyyyyyyyyyyyyyyy'], phoneHashSalt: 'shared-salt', minPayoutCents: null, payoutDestination: null },
      { platform: 'carelink', name: 'CareLink', apiKeys: ['carelink_live_zzzzzzzzzzzz'], phoneHashSalt: 'own-salt', minPayoutCents: 1250, payoutDestination: 'acct_123' },
    ]);
  });

  it('accepts one-line escaped PEMs and checks that the public key matches', () => {
    const current = pair();
    const previous = pair();
    const config = loadConfig({ CAREOS_PRIVATE_KEY: oneLine(current.priv), CAREOS_PUBLIC_KEY: oneLine(current.pub), CAREOS_PRIVATE_KEY_PREVIOUS: oneLine(previous.priv) });
    expect(publicKeyId(config.encryption.privateKey!)).toBe(publicKeyId(current.pub));
    expect(publicKeyId(config.encryption.previousPrivateKey!)).toBe(publicKeyId(previous.pub));
    expect(problemsOf({ CAREOS_PRIVATE_KEY: current.priv, CAREOS_PUBLIC_KEY: previous.pub })).toEqual([expect.stringContaining('does not match')]);
    expect(problemsOf({ CAREOS_PRIVATE_KEY: 'not a key' })).toEqual([expect.stringContaining('CAREOS_PRIVATE_KEY is not a readable PEM')]);
    expect(problemsOf({ CAREOS_PRIVATE_KEY_PREVIOUS: previous.priv })).toEqual([expect.stringContaining('needs CAREOS_PRIVATE_KEY')]);
  });

  it('collects every problem, naming variables but never their values', () => {
    const problems = problemsOf({
      CAREOS_PARTNERS: 'ok1,Bad Name',
      CAREOS_RATE_LIMIT_LEADS: '0',
      CAREOS_MIN_PAYOUT: '-3',
      CAREOS_BODY_LIMIT: 'huge',
      CAREOS_JWT_SECRET: 'short-secret-value',
      CAREOS_ADMIN_EMAIL: 'admin@careos.test',
      CAREOS_ADMIN_PASSWORD: 'pw',
      TWILIO_ACCOUNT_SID: 'AC1',
      REDIS_URL: 'http://x',
      DATABASE_URL: 'mysql://x',
      CAREOS_DEFAULT_COUNTRY: 'USA',
      CAREOS_LOG_LEVEL: 'loud',
      CAREOS_INTEGRATION_TOKEN_TTL: '30',
    });
    expect(problems).toHaveLength(15);
    expect(problems.join('\n')).not.toContain('short-secret-value');
    for (const name of ['OK1_API_KEY', 'PHONE_HASH_SALT', 'bad name', 'CAREOS_RATE_LIMIT_LEADS', 'CAREOS_MIN_PAYOUT', 'CAREOS_BODY_LIMIT', 'CAREOS_JWT_SECRET', 'CAREOS_ADMIN_PASSWORD', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM_NUMBER', 'REDIS_URL', 'DATABASE_URL', 'CAREOS_DEFAULT_COUNTRY', 'CAREOS_LOG_LEVEL', 'CAREOS_INTEGRATION_TOKEN_TTL']) {
      expect(problems.join('\n')).toContain(name);
    }
  });

  it('reads provider settings, sizes and limits', () => {
    const config = loadConfig({
      TWILIO_ACCOUNT_SID: 'AC1',
      TWILIO_AUTH_TOKEN: 'tok',
      TWILIO_MESSAGING_SERVICE_SID: 'MG1',
      STRIPE_SECRET_KEY: 'sk_test_1',
      CAREOS_BODY_LIMIT: '1.5mb',
      CAREOS_RATE_LIMIT_LEADS: '250',
      CAREOS_DEFAULT_COUNTRY: 'ca',
      REDIS_URL: 'redis://127.0.0.1:6379',
      CAREOS_INTEGRATION_TOKEN_TTL: '120',
    });
    expect(config.integrationTokenTtlSeconds).toBe(120);
    expect(config.twilio).toEqual({ accountSid: 'AC1', authToken: 'tok', fromNumber: null, messagingServiceSid: 'MG1' });
    expect(config.stripe).toEqual({ secretKey: 'sk_test_1' });
    expect(config.bodyLimitBytes).toBe(1.5 * 1024 * 1024);
    expect(config.rateLimits.leads).toBe(250);
    expect(config.defaultCountry).toBe('CA');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
  });

  it('reads SendGrid and the provider base URLs, and checks them', () => {
    const config = loadConfig({
      TWILIO_ACCOUNT_SID: 'AC1',
      TWILIO_AUTH_TOKEN: 'tok',
      TWILIO_FROM_NUMBER: '+15005550006',
      TWILIO_API_BASE_URL: 'http://127.0.0.1:4010/',
      SENDGRID_API_KEY: 'SG.key',
      SENDGRID_FROM_EMAIL: 'care@clinic.example',
      SENDGRID_FROM_NAME: 'Clinic',
      SENDGRID_API_BASE_URL: 'http://127.0.0.1:4011',
    });
    expect(config.twilio).toEqual({ accountSid: 'AC1', authToken: 'tok', fromNumber: '+15005550006', messagingServiceSid: null, baseUrl: 'http://127.0.0.1:4010' });
    expect(config.sendgrid).toEqual({ apiKey: 'SG.key', fromEmail: 'care@clinic.example', fromName: 'Clinic', baseUrl: 'http://127.0.0.1:4011' });
    expect(loadConfig({ SENDGRID_API_KEY: 'SG.key', SENDGRID_FROM_EMAIL: 'a@b.example' }).sendgrid).toEqual({ apiKey: 'SG.key', fromEmail: 'a@b.example', fromName: null });
    const problems = problemsOf({ SENDGRID_API_KEY: 'SG.secret-value', SENDGRID_API_BASE_URL: 'ftp://x', TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM_NUMBER: '+1', TWILIO_API_BASE_URL: 'https://u:p@x' });
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining('TWILIO_API_BASE_URL'), expect.stringContaining('SENDGRID_FROM_EMAIL'), expect.stringContaining('SENDGRID_API_BASE_URL')]));
    expect(problems.join('\n')).not.toContain('secret-value');
    expect(problemsOf({ SENDGRID_FROM_EMAIL: 'a@b.example' })).toEqual([expect.stringContaining('SENDGRID_API_KEY')]);
  });

  it('reads the brute-force limits and the rate-limit key prefix', () => {
    const config = loadConfig({
      CAREOS_LOGIN_WINDOW: '60',
      CAREOS_LOGIN_MAX_FAILURES: '5',
      CAREOS_LOGIN_MAX_ACCOUNT_FAILURES: '20',
      CAREOS_LOGIN_MAX_ATTEMPTS_PER_IP: '40',
      CAREOS_INTEGRATION_AUTH_MAX_FAILURES: '3',
      CAREOS_RATE_LIMIT_PREFIX: 'staging:rl',
    });
    expect(config.loginLimits).toEqual({ windowSeconds: 60, maxFailuresPerAccountAddress: 5, maxFailuresPerAccount: 20, maxAttemptsPerAddress: 40, maxSecretFailuresPerKey: 3 });
    expect(config.rateLimitPrefix).toBe('staging:rl');
    const problems = problemsOf({ CAREOS_LOGIN_WINDOW: '0', CAREOS_LOGIN_MAX_FAILURES: 'ten', CAREOS_INTEGRATION_AUTH_MAX_FAILURES: '-1', CAREOS_RATE_LIMIT_PREFIX: 'has space' });
    expect(problems).toHaveLength(4);
    for (const name of ['CAREOS_LOGIN_WINDOW', 'CAREOS_LOGIN_MAX_FAILURES', 'CAREOS_INTEGRATION_AUTH_MAX_FAILURES', 'CAREOS_RATE_LIMIT_PREFIX']) expect(problems.join('\n')).toContain(name);
  });
});
