/**
 * The OS keychain (macOS Keychain, Windows Credential Manager, the Secret Service on Linux)
 * through `@napi-rs/keyring`, with every call bounded in time.
 */

/** The part of an `@napi-rs/keyring` `AsyncEntry` we use. */
export interface KeyringEntry {
  getPassword(signal?: AbortSignal | null): Promise<string | null>;
  setPassword(password: string, signal?: AbortSignal | null): Promise<void>;
  deleteCredential(signal?: AbortSignal | null): Promise<boolean>;
}

/** The part of the `@napi-rs/keyring` module we use; tests pass their own. */
export interface KeyringModule {
  AsyncEntry: new (service: string, account: string, options?: { linux?: { store?: 'secret-service' | 'keyutils' } } | null) => KeyringEntry;
}

/** The keychain did not answer usefully; `reason` says why, for the user. */
export class KeychainUnavailableError extends Error {
  override readonly name = 'KeychainUnavailableError';
  constructor(readonly reason: string) {
    super(`the OS keychain is unavailable: ${reason}`);
  }
}

/** Keychain service name under which every CareOS secret is kept. */
export const KEYCHAIN_SERVICE = 'careos';

/** Default bound on one keychain call, ms. */
export const DEFAULT_KEYCHAIN_TIMEOUT_MS = 2000;

let inFlight = 0;

/**
 * Keychain calls started but not finished. A call abandoned after its timeout may still hold
 * the event loop (a native call waiting for an unlock prompt); `bin.ts` then exits explicitly
 * instead of waiting for it.
 */
export function keychainCallsInFlight(): number {
  return inFlight;
}

/**
 * Loads the native module only when a secret is actually read or written: commands that never
 * need one never pay for it, and a missing or unloadable binary (an unsupported platform, a
 * broken install) becomes a reason to fall back rather than a crash at startup.
 */
export async function loadKeyring(): Promise<KeyringModule> {
  return (await import('@napi-rs/keyring')) as KeyringModule;
}

/** Options of {@link createKeychain}. */
export interface KeychainOptions {
  /** Loads the keyring module; default {@link loadKeyring}. */
  load?: () => Promise<KeyringModule>;
  /** Bound on each call, ms; default {@link DEFAULT_KEYCHAIN_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** `process.platform`, for the Linux store choice. */
  platform?: NodeJS.Platform;
}

/** Get, set and delete one secret per account; every failure is a {@link KeychainUnavailableError}. */
export interface Keychain {
  get(account: string): Promise<string | undefined>;
  set(account: string, value: string): Promise<void>;
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>;
}

/**
 * A keychain whose calls each either finish within `timeoutMs` or fail.
 *
 * On Linux the entry is pinned to the Secret Service: the library would otherwise fall back
 * silently to the kernel keyring, which lives in memory and is gone after a reboot, so a
 * login would vanish without a word. Without a Secret Service we use the file instead, and
 * say so.
 */
export function createKeychain(options: KeychainOptions = {}): Keychain {
  const timeoutMs = options.timeoutMs ?? DEFAULT_KEYCHAIN_TIMEOUT_MS;
  const entryOptions = (options.platform ?? process.platform) === 'linux' ? { linux: { store: 'secret-service' as const } } : null;
  let module: Promise<KeyringModule> | undefined;

  const entry = async (account: string): Promise<KeyringEntry> => {
    module ??= (options.load ?? loadKeyring)();
    let keyring: KeyringModule;
    try {
      keyring = await module;
    } catch (error) {
      throw new KeychainUnavailableError(`the @napi-rs/keyring module could not be loaded (${message(error)})`);
    }
    // The constructor connects to the platform store and throws when there is none.
    return new keyring.AsyncEntry(KEYCHAIN_SERVICE, account, entryOptions);
  };

  const bounded = <T>(call: (entry: KeyringEntry, signal: AbortSignal) => Promise<T>, account: string): Promise<T> =>
    withTimeout(async (signal) => call(await entry(account), signal), timeoutMs);

  return {
    async get(account) {
      return (await bounded((e, signal) => e.getPassword(signal), account)) ?? undefined;
    },
    async set(account, value) {
      await bounded((e, signal) => e.setPassword(value, signal), account);
    },
    async delete(account) {
      return bounded((e, signal) => e.deleteCredential(signal), account);
    },
  };
}

/**
 * Runs one keychain call, failing after `ms`. A keychain can block indefinitely behind an
 * unlock prompt nobody will answer (over SSH, in CI); a CLI that hangs there is worse than one
 * that says so and moves on.
 */
async function withTimeout<T>(call: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new KeychainUnavailableError(`no answer within ${ms} ms (locked, or waiting for an unlock prompt?)`));
    }, ms);
  });
  inFlight++;
  const pending = (async () => call(controller.signal))().finally(() => inFlight--);
  // Once the timer has won, a late failure of the abandoned call must not surface as unhandled.
  pending.catch(() => undefined);
  try {
    return await Promise.race([pending, timeout]);
  } catch (error) {
    if (error instanceof KeychainUnavailableError) throw error;
    throw new KeychainUnavailableError(message(error));
  } finally {
    clearTimeout(timer);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
