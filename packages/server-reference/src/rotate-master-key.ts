import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError, loadConfig } from './config/load-config.js';
import { LocalMasterKey, type MasterKeyProvider } from './crypto/master-key.js';
import { replaceMasterKeyFile } from './crypto/master-key-file.js';
import { configuredMasterKey } from './crypto/select-master-key.js';
import { openDatabase } from './db/open-database.js';
import { systemClock } from './domain/clock.js';
import { silentLogger } from './logging/logger.js';
import { selectProviders } from './providers/select-providers.js';
import { AuditService } from './services/audit.js';
import { rewrapDataKeys } from './services/data-keys.js';

/** Options of {@link rotateMasterKey}. */
export interface RotateMasterKeyOptions {
  /** PostgreSQL URL (default `env.DATABASE_URL`); when set, `dataDir` is ignored. */
  databaseUrl?: string;
  /** Embedded data directory (default `.careos/data`). The server must not be running on it. */
  dataDir?: string;
  /**
   * Environment naming the current master key, as the server reads it (`CAREOS_MASTER_KEY`,
   * `CAREOS_MASTER_KEY_FILE`, or else the key file beside `dataDir`); default `process.env`.
   */
  env?: NodeJS.ProcessEnv;
  /** The current master key, in place of the one `env` names (say, a cloud KMS). */
  oldKey?: MasterKeyProvider;
  /** The master key to wrap the data keys with from now on. */
  newKey: MasterKeyProvider;
  /** Logger for the audit writer's failures (default none). */
  logger?: Logger;
}

/** What {@link rotateMasterKey} did. */
export interface RotateMasterKeyResult {
  oldKeyId: string;
  newKeyId: string;
  /** Data keys re-wrapped (0 when a previous run had already done it). */
  rewrapped: number;
  /** The key file beside the data directory, now holding the new key, when the old key came from it. */
  keyFile: string | null;
}

/**
 * Re-wraps the database's data keys from the current master key to `newKey`, in one
 * transaction, and records it in the audit log. The data keys themselves do not change, so no
 * stored value is re-encrypted and PostgreSQL instances already running keep working; any
 * instance (re)started afterwards needs the new key, and the old one is refused with a message
 * naming both. When the old key came from the key file beside an embedded data directory, that
 * file is replaced with the new key after the commit (if that last step fails, run again with
 * the same new key: re-wrapped rows are skipped).
 *
 * @throws {@link ConfigError} when the current key cannot be found; `MasterKeyError` when it is
 * not the key that wrapped the data keys, or equals the new one.
 */
export async function rotateMasterKey(options: RotateMasterKeyOptions): Promise<RotateMasterKeyResult> {
  const env = options.env ?? process.env;
  const config = loadConfig(env, { providerGiven: options.oldKey !== undefined });
  const databaseUrl = options.databaseUrl ?? config.databaseUrl ?? undefined;
  const dataDir = databaseUrl ? null : resolve(options.dataDir ?? '.careos/data');
  if (dataDir && !existsSync(join(dataDir, 'PG_VERSION'))) throw new ConfigError([`There is no embedded database in ${dataDir}`]);
  const old = options.oldKey ? { key: options.oldKey, keyFile: null } : await configuredMasterKey(config, { dataDir, kind: databaseUrl ? 'postgres' : 'pglite' });

  const logger = options.logger ?? silentLogger();
  const db = await openDatabase(databaseUrl ? { databaseUrl, poolSize: 1 } : { dataDir: dataDir! });
  let rewrapped: number;
  try {
    rewrapped = await rewrapDataKeys(db, old.key, options.newKey, systemClock);
    const ctx = { db, clock: systemClock, logger, config, providers: selectProviders(config, logger), instanceId: randomUUID() };
    const audit = new AuditService(ctx);
    audit.record({
      actorType: 'staff',
      actorId: null,
      partnerId: null,
      method: 'CLI',
      route: 'careos server rotate-master-key',
      subjectType: 'master_key',
      subjectId: options.newKey.id,
      status: 200,
      ip: null,
      requestId: randomUUID(),
    });
    await audit.flush();
  } finally {
    await db.close();
  }
  let keyFile: string | null = null;
  if (old.keyFile && options.newKey instanceof LocalMasterKey) {
    await replaceMasterKeyFile(old.keyFile, options.newKey);
    keyFile = old.keyFile;
  }
  return { oldKeyId: old.key.id, newKeyId: options.newKey.id, rewrapped, keyFile };
}
