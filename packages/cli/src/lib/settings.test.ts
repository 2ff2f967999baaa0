import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/cli.js';
import { writeProfile } from './profiles.js';
import { resolveSettings } from './settings.js';

describe('resolveSettings', () => {
  const configDir = tempDir('careos-config-');
  const baseEnv = { CAREOS_CONFIG_DIR: configDir };
  writeProfile('default', { apiUrl: 'http://profile', apiKey: 'profile-key', platform: 'profileplat', salt: 'profile-salt' }, baseEnv);
  writeProfile('staging', { apiUrl: 'http://staging' }, baseEnv);
  const envFile = join(tempDir(), 'partner.env');
  writeFileSync(envFile, 'CAREOS_API_KEY=file-key\nCAREOS_PLATFORM=fileplat\n');

  it('takes flag over --env-file over environment over profile, per setting', () => {
    const env = { ...baseEnv, CAREOS_PLATFORM: 'envplat', CAREOS_API_KEY: 'env-key', PHONE_HASH_SALT: 'env-salt' };
    const resolved = resolveSettings(['apiUrl', 'apiKey', 'platform', 'salt'], { apiKey: 'flag-key', envFile }, env);
    expect(resolved.values).toEqual({ apiUrl: 'http://profile', apiKey: 'flag-key', platform: 'fileplat', salt: 'env-salt' });
    expect(resolved.sources).toEqual({ apiUrl: 'profile', apiKey: 'flag', platform: 'env-file', salt: 'env' });
  });

  it('selects the profile by --profile, then CAREOS_PROFILE', () => {
    expect(resolveSettings(['apiUrl'], { profile: 'staging' }, baseEnv).values.apiUrl).toBe('http://staging');
    expect(resolveSettings(['apiUrl'], {}, { ...baseEnv, CAREOS_PROFILE: 'staging' }).values.apiUrl).toBe('http://staging');
    expect(resolveSettings(['apiUrl'], {}, baseEnv).profile).toBe('default');
  });

  it('ignores empty values and reads --public-key from a file or PEM text', () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n';
    const pemFile = join(tempDir(), 'key.pem');
    writeFileSync(pemFile, pem);
    expect(resolveSettings(['apiKey'], { apiKey: '' }, { ...baseEnv, CAREOS_API_KEY: 'env-key' }).values.apiKey).toBe('env-key');
    expect(resolveSettings(['publicKey'], { publicKey: pemFile }, baseEnv).values.publicKey).toBe(pem);
    expect(resolveSettings(['publicKey'], { publicKey: pem }, baseEnv).values.publicKey).toBe(pem);
    expect(() => resolveSettings(['publicKey'], { publicKey: '/nonexistent.pem' }, baseEnv)).toThrow(/neither PEM text nor a readable file/);
  });
});
