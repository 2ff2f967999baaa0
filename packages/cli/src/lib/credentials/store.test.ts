import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/cli.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { createKeychain, KeychainUnavailableError, type Keychain, type KeyringModule } from './keychain.js';
import { createCredentialStore, credentialStoreMode, keychainAccount } from './store.js';

/** An in-memory keychain that works, or fails every call with `failure`; counts calls. */
function fakeKeychain(failure?: string): Keychain & { items: Map<string, string>; calls: number } {
  const items = new Map<string, string>();
  const fake = {
    items,
    calls: 0,
    async get(account: string) {
      fake.calls++;
      if (failure) throw new KeychainUnavailableError(failure);
      return items.get(account);
    },
    async set(account: string, value: string) {
      fake.calls++;
      if (failure) throw new KeychainUnavailableError(failure);
      items.set(account, value);
    },
    async delete(account: string) {
      fake.calls++;
      if (failure) throw new KeychainUnavailableError(failure);
      return items.delete(account);
    },
  };
  return fake;
}

function setup(mode?: string) {
  const dir = join(tempDir('careos-store-'), 'config');
  const env: NodeJS.ProcessEnv = { CAREOS_CONFIG_DIR: dir, ...(mode ? { CAREOS_CREDENTIAL_STORE: mode } : {}) };
  const warnings: string[] = [];
  return { dir, env, warnings, warn: (text: string) => warnings.push(text), file: join(dir, 'credentials.json') };
}

describe('credentialStoreMode', () => {
  it('defaults to auto, accepts the three modes in any case, and refuses anything else as a usage error', () => {
    expect(credentialStoreMode({})).toBe('auto');
    expect(credentialStoreMode({ CAREOS_CREDENTIAL_STORE: 'File' })).toBe('file');
    expect(credentialStoreMode({ CAREOS_CREDENTIAL_STORE: 'keychain' })).toBe('keychain');
    expect(() => credentialStoreMode({ CAREOS_CREDENTIAL_STORE: 'vault' })).toThrow(expect.objectContaining({ exitCode: ExitCode.USAGE }));
  });
});

describe('createCredentialStore', () => {
  it('auto: keeps secrets in the keychain when it works, under <profile>:<setting>, and writes no file', async () => {
    const s = setup();
    const keychain = fakeKeychain();
    const store = createCredentialStore({ env: s.env, keychain, warn: s.warn });
    expect(await store.set('default', { password: 'pw', apiKey: 'key' })).toEqual([
      { name: 'password', backend: 'keychain' },
      { name: 'apiKey', backend: 'keychain' },
    ]);
    expect(keychain.items.get(keychainAccount('default', 'password'))).toBe('pw');
    expect(existsSync(s.file)).toBe(false);
    expect(await store.get('default', 'apiKey')).toEqual({ value: 'key', backend: 'keychain' });
    expect(await store.get('other', 'apiKey')).toBeUndefined();
    expect(s.warnings).toEqual([]);
  });

  it('auto: falls back to a 0600 file in a 0700 dir with a warning naming the file and the reason', async () => {
    const s = setup();
    // A value no temporary path or message can hold by chance (the warning names a random directory).
    const password = 'pw-Zq7-never-in-a-warning';
    const keychain = fakeKeychain("Couldn't access platform storage: AccessDenied");
    const store = createCredentialStore({ env: s.env, keychain, warn: s.warn });
    expect(await store.set('default', { password, apiKey: 'key' })).toEqual([
      { name: 'password', backend: 'file' },
      { name: 'apiKey', backend: 'file' },
    ]);
    expect(statSync(s.file).mode & 0o777).toBe(0o600);
    expect(statSync(s.dir).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(s.file, 'utf8'))).toEqual({ profiles: { default: { password, apiKey: 'key' } } });
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]).toContain(s.file);
    expect(s.warnings[0]).toContain("Couldn't access platform storage: AccessDenied");
    expect(s.warnings[0]).not.toContain(password);
    expect(await store.get('default', 'password')).toEqual({ value: password, backend: 'file' });
    // The first failure is remembered: one keychain attempt for the whole run.
    expect(await store.get('default', 'webhookSecret')).toBeUndefined();
    expect(keychain.calls).toBe(1);
    expect(store.keychainUnavailable).toBe("Couldn't access platform storage: AccessDenied");
  });

  it('auto: a keychain that hangs costs one timeout, then the file is used', async () => {
    const s = setup();
    let calls = 0;
    const never = () => {
      calls++;
      return new Promise<never>(() => {});
    };
    const hanging = { AsyncEntry: class { getPassword = never; setPassword = never; deleteCredential = never } } as unknown as KeyringModule;
    const store = createCredentialStore({ env: s.env, keychain: createKeychain({ load: async () => hanging, timeoutMs: 50 }), warn: s.warn });
    expect(await store.set('default', { password: 'pw', apiKey: 'key' })).toEqual([
      { name: 'password', backend: 'file' },
      { name: 'apiKey', backend: 'file' },
    ]);
    expect(calls).toBe(1); // the second secret did not wait on the keychain again
    expect(s.warnings[0]).toMatch(/no answer within 50 ms/);
  });

  it('file: never touches the keychain and does not warn', async () => {
    const s = setup('file');
    const keychain = fakeKeychain();
    const store = createCredentialStore({ env: s.env, keychain, warn: s.warn });
    expect(await store.set('ci', { apiKey: 'key' })).toEqual([{ name: 'apiKey', backend: 'file' }]);
    expect(await store.get('ci', 'apiKey')).toEqual({ value: 'key', backend: 'file' });
    expect(await store.get('ci', 'password')).toBeUndefined();
    keychain.items.set('ci:password', 'someone-elses');
    expect(await store.remove('ci', ['apiKey', 'password'])).toEqual({ removed: [{ name: 'apiKey', backend: 'file' }] });
    expect(keychain.calls).toBe(0);
    expect(s.warnings).toEqual([]);
  });

  it('keychain: an unavailable keychain is an error, and nothing goes to the file', async () => {
    const s = setup('keychain');
    const store = createCredentialStore({ env: s.env, keychain: fakeKeychain('no Secret Service'), warn: s.warn });
    const error = await store.set('default', { password: 'pw' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toMatch(/no Secret Service.*CAREOS_CREDENTIAL_STORE=keychain/);
    expect(existsSync(s.file)).toBe(false);
    await expect(store.get('default', 'password')).rejects.toBeInstanceOf(CliError);
  });

  it('reads the file before the keychain, and a keychain write clears the older file copy', async () => {
    const s = setup();
    const down = createCredentialStore({ env: s.env, keychain: fakeKeychain('locked'), warn: s.warn });
    await down.set('default', { password: 'written-while-down' });

    const keychain = fakeKeychain();
    keychain.items.set('default:password', 'older-keychain-copy');
    const up = createCredentialStore({ env: s.env, keychain, warn: s.warn });
    expect(await up.get('default', 'password')).toEqual({ value: 'written-while-down', backend: 'file' });

    await up.set('default', { password: 'new' });
    expect(existsSync(s.file)).toBe(false);
    expect(await up.get('default', 'password')).toEqual({ value: 'new', backend: 'keychain' });
  });

  it('remove: clears both backends, reports what it removed, and is idempotent', async () => {
    const s = setup();
    const keychain = fakeKeychain();
    keychain.items.set('default:password', 'pw');
    keychain.items.set('staging:password', 'keep');
    const store = createCredentialStore({ env: s.env, keychain, warn: s.warn });
    await createCredentialStore({ env: { ...s.env, CAREOS_CREDENTIAL_STORE: 'file' } }).set('default', { apiKey: 'key' });

    expect(await store.remove('default', ['password', 'apiKey'])).toEqual({
      removed: [
        { name: 'password', backend: 'keychain' },
        { name: 'apiKey', backend: 'file' },
      ],
    });
    expect(keychain.items.get('staging:password')).toBe('keep');
    expect(existsSync(s.file)).toBe(false);
    expect(await store.remove('default', ['password', 'apiKey'])).toEqual({ removed: [] });
  });

  it('remove: still clears the file when the keychain cannot be reached, and says so', async () => {
    const s = setup();
    const store = createCredentialStore({ env: s.env, keychain: fakeKeychain('locked'), warn: s.warn });
    await store.set('default', { apiKey: 'key' });
    expect(await store.remove('default', ['password', 'apiKey'])).toEqual({ removed: [{ name: 'apiKey', backend: 'file' }], keychainUnavailable: 'locked' });
  });
});
