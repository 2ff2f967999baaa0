import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/cli.js';
import type { CredentialReader, StoredSecret } from './credentials/store.js';
import { writeProfile } from './profiles.js';
import { displayValue, givenSettings, resolveSettings } from './settings.js';

/** A credential store holding `secrets`, recording every lookup. */
function fakeStore(secrets: Record<string, StoredSecret>, keychainUnavailable?: string): CredentialReader & { lookups: string[] } {
  const lookups: string[] = [];
  return {
    lookups,
    keychainUnavailable,
    async get(profile, name) {
      lookups.push(`${profile}:${name}`);
      return secrets[`${profile}:${name}`];
    },
  };
}

describe('resolveSettings', () => {
  const configDir = tempDir('careos-config-');
  const baseEnv = { CAREOS_CONFIG_DIR: configDir, CAREOS_CREDENTIAL_STORE: 'file' };
  writeProfile('default', { apiUrl: 'http://profile', platform: 'profileplat', salt: 'profile-salt' }, baseEnv);
  writeProfile('staging', { apiUrl: 'http://staging' }, baseEnv);
  const envFile = join(tempDir(), 'partner.env');
  writeFileSync(envFile, 'CAREOS_API_KEY=file-key\nCAREOS_PLATFORM=fileplat\n');

  it('takes flag over --env over environment over profile, per setting', async () => {
    const env = { ...baseEnv, CAREOS_PLATFORM: 'envplat', CAREOS_API_KEY: 'env-key', PHONE_HASH_SALT: 'env-salt' };
    const resolved = await resolveSettings(['apiUrl', 'apiKey', 'platform', 'salt'], { apiKey: 'flag-key', env: envFile }, env);
    expect(resolved.values).toEqual({ apiUrl: 'http://profile', apiKey: 'flag-key', platform: 'fileplat', salt: 'env-salt' });
    expect(resolved.sources).toEqual({ apiUrl: 'profile', apiKey: 'flag', platform: 'env-file', salt: 'env' });
  });

  it('selects the profile by --profile, then CAREOS_PROFILE', async () => {
    expect((await resolveSettings(['apiUrl'], { profile: 'staging' }, baseEnv)).values.apiUrl).toBe('http://staging');
    expect((await resolveSettings(['apiUrl'], {}, { ...baseEnv, CAREOS_PROFILE: 'staging' })).values.apiUrl).toBe('http://staging');
    expect((await resolveSettings(['apiUrl'], {}, baseEnv)).profile).toBe('default');
  });

  it('ignores empty values and reads --public-key from a file or PEM text', async () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n';
    const pemFile = join(tempDir(), 'key.pem');
    writeFileSync(pemFile, pem);
    expect((await resolveSettings(['apiKey'], { apiKey: '' }, { ...baseEnv, CAREOS_API_KEY: 'env-key' })).values.apiKey).toBe('env-key');
    expect((await resolveSettings(['publicKey'], { publicKey: pemFile }, baseEnv)).values.publicKey).toBe(pem);
    expect((await resolveSettings(['publicKey'], { publicKey: pem }, baseEnv)).values.publicKey).toBe(pem);
    await expect(resolveSettings(['publicKey'], { publicKey: '/nonexistent.pem' }, baseEnv)).rejects.toThrow(/neither PEM text nor a readable file/);
  });

  it('reads stored secrets from the credential store as the lowest source, with the backend as source', async () => {
    const store = fakeStore({ 'default:password': { value: 'stored-pw', backend: 'keychain' }, 'default:apiKey': { value: 'stored-key', backend: 'file' } });
    const resolved = await resolveSettings(['password', 'apiKey', 'email'], {}, baseEnv, store);
    expect(resolved.values).toEqual({ password: 'stored-pw', apiKey: 'stored-key' });
    expect(resolved.sources).toEqual({ password: 'profile:keychain', apiKey: 'profile:file' });

    const overridden = await resolveSettings(['password', 'apiKey'], { apiKey: 'flag-key' }, { ...baseEnv, CAREOS_ADMIN_PASSWORD: 'env-pw' }, store);
    expect(overridden.values).toEqual({ password: 'env-pw', apiKey: 'flag-key' });
    expect(overridden.sources).toEqual({ password: 'env', apiKey: 'flag' });
  });

  it('asks the store only for secrets still missing, and never for non-secret settings', async () => {
    const store = fakeStore({});
    await resolveSettings(['apiUrl', 'email', 'password', 'apiKey'], { password: 'p', apiKey: 'k' }, baseEnv, store);
    expect(store.lookups).toEqual([]);
    await resolveSettings(['apiUrl', 'email', 'password', 'apiKey', 'webhookSecret'], { profile: 'staging', password: 'p' }, baseEnv, store);
    expect(store.lookups).toEqual(['staging:apiKey', 'staging:webhookSecret']);
  });

  it('never takes a secret from config.json, and passes on why the keychain could not be read', async () => {
    writeProfile('legacy', { apiKey: 'plain-in-config', platform: 'p' }, baseEnv);
    const resolved = await resolveSettings(['apiKey', 'platform'], { profile: 'legacy' }, baseEnv, fakeStore({}, 'no Secret Service'));
    expect(resolved.values).toEqual({ platform: 'p' });
    expect(resolved.keychainUnavailable).toBe('no Secret Service');
  });

  it('resolves the new integration and webhook settings from their env vars', async () => {
    const env = { ...baseEnv, CAREOS_INTEGRATION_API_KEY: 'ik', CAREOS_INTEGRATION_API_SECRET: 'is', CAREOS_THERAPIST_ID: 't1', CAREOS_WEBHOOK_SECRET: 'whsec_x' };
    const resolved = await resolveSettings(['integrationKey', 'integrationSecret', 'therapistId', 'webhookSecret'], {}, env, fakeStore({}));
    expect(resolved.values).toEqual({ integrationKey: 'ik', integrationSecret: 'is', therapistId: 't1', webhookSecret: 'whsec_x' });
  });
});

describe('givenSettings', () => {
  it('takes flags and --env only, not the environment', () => {
    const envFile = join(tempDir(), 'partner.env');
    writeFileSync(envFile, 'CAREOS_API_KEY=file-key\nCAREOS_PLATFORM=fileplat\n');
    const previous = process.env.CAREOS_ADMIN_EMAIL;
    process.env.CAREOS_ADMIN_EMAIL = 'env@example.com';
    try {
      expect(givenSettings(['apiKey', 'platform', 'email', 'password'], { env: envFile, platform: 'flagplat', password: 'pw' })).toEqual({
        apiKey: 'file-key',
        platform: 'flagplat',
        password: 'pw',
      });
    } finally {
      if (previous === undefined) delete process.env.CAREOS_ADMIN_EMAIL;
      else process.env.CAREOS_ADMIN_EMAIL = previous;
    }
  });
});

describe('displayValue', () => {
  it('hides passwords and salts entirely and shows at most a short prefix of keys', () => {
    expect(displayValue('password', 'correct horse battery staple')).toBe('••••••••');
    expect(displayValue('salt', 'a'.repeat(64))).toBe('••••••••');
    expect(displayValue('apiKey', 'businessos_test_0123456789abcdefghijABCDEFGHIJ')).toBe('busine…');
    // A short key gives away at most a quarter of itself.
    expect(displayValue('apiKey', 'abcdefgh')).toBe('ab…');
    expect(displayValue('email', 'ops@careos.test')).toBe('ops@careos.test');
  });
});
