import { describe, expect, it } from 'vitest';
import { createKeychain, KeychainUnavailableError, keychainCallsInFlight, type KeyringEntry, type KeyringModule } from './keychain.js';

/** A keyring module backed by a Map, recording how entries were created. */
function memoryKeyring(behaviour: { hang?: boolean; constructorError?: string } = {}) {
  const items = new Map<string, string>();
  const created: { service: string; account: string; options: unknown }[] = [];
  const waitForAbort = (signal?: AbortSignal | null) =>
    new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
  class AsyncEntry implements KeyringEntry {
    constructor(
      readonly service: string,
      readonly account: string,
      options?: unknown,
    ) {
      if (behaviour.constructorError) throw new Error(behaviour.constructorError);
      created.push({ service, account, options });
    }
    async getPassword(signal?: AbortSignal | null) {
      if (behaviour.hang) return waitForAbort(signal);
      return items.get(this.account) ?? null;
    }
    async setPassword(password: string, signal?: AbortSignal | null) {
      if (behaviour.hang) return waitForAbort(signal);
      items.set(this.account, password);
    }
    async deleteCredential(signal?: AbortSignal | null) {
      if (behaviour.hang) return waitForAbort(signal);
      return items.delete(this.account);
    }
  }
  return { module: { AsyncEntry } as KeyringModule, items, created };
}

describe('createKeychain', () => {
  it('stores, reads and deletes under the service "careos", pinned to the Secret Service on Linux only', async () => {
    const keyring = memoryKeyring();
    const linux = createKeychain({ load: async () => keyring.module, platform: 'linux' });
    await linux.set('default:password', 'pw');
    expect(await linux.get('default:password')).toBe('pw');
    expect(await linux.get('default:apiKey')).toBeUndefined();
    expect(await linux.delete('default:password')).toBe(true);
    expect(await linux.delete('default:password')).toBe(false);
    expect(keyring.created[0]).toEqual({ service: 'careos', account: 'default:password', options: { linux: { store: 'secret-service' } } });

    const mac = createKeychain({ load: async () => keyring.module, platform: 'darwin' });
    await mac.get('default:password');
    expect(keyring.created.at(-1)?.options).toBeNull();
  });

  it('gives up on a call that does not answer within the timeout, and aborts it', async () => {
    const keychain = createKeychain({ load: async () => memoryKeyring({ hang: true }).module, timeoutMs: 50 });
    const error = await keychain.set('default:password', 'pw').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeychainUnavailableError);
    expect((error as KeychainUnavailableError).reason).toMatch(/no answer within 50 ms/);
    // The abandoned call saw the abort and finished, so nothing is left holding the process.
    await new Promise((resolve) => setImmediate(resolve));
    expect(keychainCallsInFlight()).toBe(0);
  });

  it('reports a store that cannot be opened, and a native module that cannot be loaded, as unavailable', async () => {
    const noService = createKeychain({ load: async () => memoryKeyring({ constructorError: 'Platform failure: no DBus session' }).module });
    await expect(noService.get('default:password')).rejects.toMatchObject({ reason: 'Platform failure: no DBus session' });

    const noBinary = createKeychain({
      load: async () => {
        throw new Error('Cannot find native binding');
      },
    });
    const error = (await noBinary.get('default:password').catch((e: unknown) => e)) as KeychainUnavailableError;
    expect(error).toBeInstanceOf(KeychainUnavailableError);
    expect(error.reason).toBe('the @napi-rs/keyring module could not be loaded (Cannot find native binding)');
  });
});
