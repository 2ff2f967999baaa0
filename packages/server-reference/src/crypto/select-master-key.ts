import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { ConfigError } from '../config/load-config.js';
import type { ServerConfig } from '../config/server-config.js';
import type { Database } from '../db/database.js';
import { ensureMasterKeyFile, masterKeyFileFor, readMasterKeyFile } from './master-key-file.js';
import { LocalMasterKey, type MasterKeyProvider } from './master-key.js';

/**
 * The built-in development master key, used on PostgreSQL in development when no key is
 * configured: every instance and restart must agree on it, so it cannot be random. Its bytes
 * are public (derived from this text), so it protects nothing; the warning at start says so.
 */
export function developmentMasterKey(): LocalMasterKey {
  const bytes = createHash('sha256').update('CareOS built-in development master key: protects nothing').digest();
  return new LocalMasterKey(bytes, 'the built-in development master key');
}

/** Ephemeral keys of in-memory databases: every app on one database must share its key. */
const ephemeral = new WeakMap<Database, LocalMasterKey>();

/** Where {@link selectMasterKey} may look. */
export interface MasterKeyPlace {
  /** The embedded data directory, or `null` (in memory or PostgreSQL). */
  dataDir: string | null;
  kind: Database['kind'];
}

/**
 * The master key a server starts with, most explicit first: the provider given in code, the
 * key from the environment (see `readMasterKeyConfig`), then — in development only, with one
 * warning — the key file beside the embedded data directory (created 0600 when missing), an
 * ephemeral key for an in-memory database, or the built-in development key on PostgreSQL.
 *
 * @throws {@link ConfigError} in production when none is configured.
 */
export async function selectMasterKey(config: ServerConfig, db: Database, logger: Logger, given?: MasterKeyProvider): Promise<MasterKeyProvider> {
  if (given) return given;
  if (config.masterKey) {
    if (config.masterKey.source === 'CAREOS_DATA_KEY') logger.warn('CAREOS_DATA_KEY is deprecated: it is used as the master key; rename it CAREOS_MASTER_KEY');
    return new LocalMasterKey(config.masterKey.key, config.masterKey.description);
  }
  if (config.mode === 'production') throw new ConfigError(['CAREOS_MASTER_KEY (or CAREOS_MASTER_KEY_FILE) is required when CAREOS_ENV=production']);
  if (db.dataDir) {
    const path = masterKeyFileFor(db.dataDir);
    const { key, created } = await ensureMasterKeyFile(path);
    logger.warn(
      { key_file: path, master_key_id: key.id, created },
      'CAREOS_MASTER_KEY is not set: the secrets in the database are wrapped by the key in the key file beside the data directory. Keep that file out of copies of the data directory; set CAREOS_MASTER_KEY in production.',
    );
    return key;
  }
  if (db.kind === 'pglite') {
    let key = ephemeral.get(db);
    if (!key) {
      key = LocalMasterKey.generate('an ephemeral key for an in-memory database');
      ephemeral.set(db, key);
      logger.warn({ master_key_id: key.id }, 'CAREOS_MASTER_KEY is not set: the in-memory database uses an ephemeral master key, gone with the process.');
    }
    return key;
  }
  const key = developmentMasterKey();
  logger.warn(
    { master_key_id: key.id },
    'CAREOS_MASTER_KEY is not set: the secrets in this PostgreSQL database are wrapped by the built-in development master key, which protects nothing. Before holding real data, move to a key of your own with careos server rotate-master-key, then set CAREOS_MASTER_KEY.',
  );
  return key;
}

/**
 * The master key a database was last started with, for tools that run beside the server (key
 * rotation): like {@link selectMasterKey}, but it never creates a key file nor an ephemeral key.
 */
export async function configuredMasterKey(config: ServerConfig, place: MasterKeyPlace): Promise<{ key: MasterKeyProvider; keyFile: string | null }> {
  if (config.masterKey) return { key: new LocalMasterKey(config.masterKey.key, config.masterKey.description), keyFile: null };
  if (place.dataDir) {
    const path = masterKeyFileFor(place.dataDir);
    try {
      return { key: await readMasterKeyFile(path), keyFile: path };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ConfigError([`No master key: CAREOS_MASTER_KEY is not set and there is no key file at ${path}`]);
      throw error;
    }
  }
  if (place.kind === 'postgres' && config.mode !== 'production') return { key: developmentMasterKey(), keyFile: null };
  throw new ConfigError(['CAREOS_MASTER_KEY (or CAREOS_MASTER_KEY_FILE) is required to name the current master key']);
}
