import { CliError, ExitCode } from '../exit-codes.js';
import { createOutput } from '../output.js';
import { credentialsFilePath, deleteFileSecrets, readFileSecret, writeFileSecrets } from './file-store.js';
import { createKeychain, KeychainUnavailableError, type Keychain } from './keychain.js';

/** Which backend `CAREOS_CREDENTIAL_STORE` selects. */
export type CredentialStoreMode = 'auto' | 'keychain' | 'file';

/** Where one secret is kept. */
export type CredentialBackend = 'keychain' | 'file';

/** A secret read from the store, and where it was found. */
export interface StoredSecret {
  value: string;
  backend: CredentialBackend;
}

/** Where one secret went, or was removed from. */
export interface SecretPlacement {
  name: string;
  backend: CredentialBackend;
}

/** What {@link CredentialStore.remove} did. */
export interface SecretRemoval {
  removed: SecretPlacement[];
  /** Set when the keychain could not be checked; whatever it holds is still there. */
  keychainUnavailable?: string;
}

/** Reads stored secrets; what `resolveSettings` needs. */
export interface CredentialReader {
  /**
   * The secret `name` of `profile`, or undefined when none is stored. In `auto` mode an
   * unavailable keychain reads as "nothing stored" (see {@link keychainUnavailable}); in
   * `keychain` mode it is an error.
   */
  get(profile: string, name: string): Promise<StoredSecret | undefined>;
  /**
   * Why the keychain failed during this store's life, if it did. Reads stay quiet about it (a
   * machine without a keychain is normal); a command that then lacks a value says why.
   */
  readonly keychainUnavailable: string | undefined;
}

/** Secrets per profile, in the OS keychain or, failing that, a 0600 file. */
export interface CredentialStore extends CredentialReader {
  readonly mode: CredentialStoreMode;
  /** The fallback file, `credentials.json` in the config dir. */
  readonly filePath: string;
  /** Stores secrets of `profile`; returns where each went. */
  set(profile: string, values: Readonly<Record<string, string>>): Promise<SecretPlacement[]>;
  /** Removes secrets of `profile` from the file and (unless the mode is `file`) the keychain; idempotent. */
  remove(profile: string, names: readonly string[]): Promise<SecretRemoval>;
}

/** Options of {@link createCredentialStore}. */
export interface CredentialStoreOptions {
  /** Environment: `CAREOS_CREDENTIAL_STORE` and the config dir. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The keychain; default the OS keychain with a 2 s bound per call. */
  keychain?: Keychain;
  /** Where the fallback warning goes; default a `warning:` line on stderr. */
  warn?: (text: string) => void;
}

const MODES: readonly CredentialStoreMode[] = ['auto', 'keychain', 'file'];

/** The mode `CAREOS_CREDENTIAL_STORE` selects (default `auto`); anything else is a usage error. */
export function credentialStoreMode(env: NodeJS.ProcessEnv = process.env): CredentialStoreMode {
  const value = (env.CAREOS_CREDENTIAL_STORE ?? '').trim().toLowerCase() || 'auto';
  if (!(MODES as readonly string[]).includes(value)) {
    throw new CliError(`CAREOS_CREDENTIAL_STORE must be auto, keychain or file, not "${env.CAREOS_CREDENTIAL_STORE}"`, ExitCode.USAGE);
  }
  return value as CredentialStoreMode;
}

/** The keychain account of one secret: `<profile>:<setting>` under the service `careos`. */
export function keychainAccount(profile: string, name: string): string {
  return `${profile}:${name}`;
}

/**
 * The credential store `CAREOS_CREDENTIAL_STORE` selects:
 *
 * - `auto` (default): the OS keychain; when it is unavailable (no Secret Service, locked and
 *   not answering within the timeout, native module missing) secrets go to the file, with a
 *   warning that names the file and the reason. Reads look in the file first, then the
 *   keychain: a value written to the file while the keychain was down is the newer one.
 * - `keychain`: the keychain only; unavailability is an error rather than a silent downgrade.
 * - `file`: the file only; the keychain is never touched.
 *
 * Once the keychain has failed, this store stops asking it, so one command pays the timeout at
 * most once.
 */
export function createCredentialStore(options: CredentialStoreOptions = {}): CredentialStore {
  const env = options.env ?? process.env;
  const mode = credentialStoreMode(env);
  const filePath = credentialsFilePath(env);
  const keychain = options.keychain ?? createKeychain();
  const warn = options.warn ?? ((text: string) => createOutput({ env }).warn(text));
  let keychainDown: string | undefined;

  /** Runs a keychain call; remembers the first failure so later calls skip straight past it. */
  const inKeychain = async <T>(call: (k: Keychain) => Promise<T>): Promise<T> => {
    if (keychainDown !== undefined) throw new KeychainUnavailableError(keychainDown);
    try {
      return await call(keychain);
    } catch (error) {
      const failure = error instanceof KeychainUnavailableError ? error : new KeychainUnavailableError(String(error));
      keychainDown = failure.reason;
      throw failure;
    }
  };

  const forcedKeychainError = (reason: string) =>
    new CliError(
      `The OS keychain is unavailable (${reason}), and CAREOS_CREDENTIAL_STORE=keychain rules out the file fallback`,
      ExitCode.FAILURE,
      `Unset CAREOS_CREDENTIAL_STORE to fall back to ${filePath}, or set it to "file".`,
    );

  return {
    mode,
    filePath,
    get keychainUnavailable() {
      return keychainDown;
    },

    async get(profile, name) {
      if (mode !== 'keychain') {
        const value = readFileSecret(profile, name, env);
        if (value !== undefined) return { value, backend: 'file' };
        if (mode === 'file') return undefined;
      }
      try {
        const value = await inKeychain((k) => k.get(keychainAccount(profile, name)));
        return value === undefined || value === '' ? undefined : { value, backend: 'keychain' };
      } catch (error) {
        if (!(error instanceof KeychainUnavailableError)) throw error;
        if (mode === 'keychain') throw forcedKeychainError(error.reason);
        return undefined;
      }
    },

    async set(profile, values) {
      const entries = Object.entries(values);
      if (mode === 'file') {
        writeFileSecrets(profile, values, env);
        return entries.map(([name]) => ({ name, backend: 'file' }));
      }
      const inKeychainNames: string[] = [];
      const toFile: Record<string, string> = {};
      let reason: string | undefined;
      for (const [name, value] of entries) {
        if (reason === undefined) {
          try {
            await inKeychain((k) => k.set(keychainAccount(profile, name), value));
            inKeychainNames.push(name);
            continue;
          } catch (error) {
            if (!(error instanceof KeychainUnavailableError)) throw error;
            if (mode === 'keychain') throw forcedKeychainError(error.reason);
            reason = error.reason;
          }
        }
        toFile[name] = value;
      }
      // An older copy in the file would be read first and shadow the new keychain value.
      if (inKeychainNames.length > 0) deleteFileSecrets(profile, inKeychainNames, env);
      const fileNames = Object.keys(toFile);
      if (fileNames.length > 0) {
        writeFileSecrets(profile, toFile, env);
        warn(
          `the OS keychain is unavailable (${reason}); ${fileNames.join(', ')} of profile "${profile}" stored in ${filePath} ` +
            '(readable only by you, mode 0600) instead. Set CAREOS_CREDENTIAL_STORE=file to choose the file deliberately.',
        );
      }
      return [...inKeychainNames.map((name) => ({ name, backend: 'keychain' as const })), ...fileNames.map((name) => ({ name, backend: 'file' as const }))];
    },

    async remove(profile, names) {
      const removed: SecretPlacement[] = [];
      let keychainUnavailable: string | undefined;
      // `file` means the keychain is never touched, removal included: on a shared or CI machine
      // it may hold someone's own login under the same profile name.
      for (const name of mode === 'file' ? [] : names) {
        try {
          if (await inKeychain((k) => k.delete(keychainAccount(profile, name)))) removed.push({ name, backend: 'keychain' });
        } catch (error) {
          if (!(error instanceof KeychainUnavailableError)) throw error;
          keychainUnavailable = error.reason;
          break;
        }
      }
      for (const name of deleteFileSecrets(profile, names, env)) removed.push({ name, backend: 'file' });
      return keychainUnavailable === undefined ? { removed } : { removed, keychainUnavailable };
    },
  };
}
