import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { Database, Executor, Orm, RawRunner } from './database.js';
import { restrictDataDir } from './data-dir-permissions.js';
import { inlineSql } from './inline-sql.js';
import { listenPostgres } from './notifications.js';
import { MIGRATION_LOCK_KEY, MIGRATIONS, migrationsFolder } from './migrate.js';
import { PgliteThread, type PgliteRunner } from './pglite-thread.js';
import { cachedTemplate, forgetTemplate } from './pglite-template.js';
import * as schema from './schema/index.js';

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** PostgreSQL URL; when set, PostgreSQL is used and `dataDir` is ignored. */
  databaseUrl?: string;
  /** PGlite data directory (created when missing); in memory when omitted. */
  dataDir?: string;
  /** Connections in the PostgreSQL pool (default 10). */
  poolSize?: number;
  /**
   * A new embedded database (in memory, or in an empty `dataDir`) starts from a dump of the
   * migrated empty database kept on disk (`CAREOS_PGLITE_CACHE_DIR`, see `cachedTemplate`)
   * instead of initdb and every migration. With this on (the default: tests and demos open
   * many), the dump is also kept in this process's memory; a process that opens one database
   * turns it off, so as not to hold the dump (about 40 MB) for nothing.
   */
  memoryTemplate?: boolean;
}

async function rowsOf<T>(on: Executor, query: SQL): Promise<T[]> {
  const result = (await on.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** The template kept in this process (see {@link OpenDatabaseOptions.memoryTemplate}). */
let processTemplate: Promise<ArrayBuffer> | undefined;

async function migrated(thread: PgliteThread): Promise<PgliteThread> {
  try {
    // drizzle's PGlite driver only calls query() and transaction(), which the thread provides.
    await migratePglite(drizzlePglite({ client: thread as unknown as PGlite }), { migrationsFolder: migrationsFolder(), ...MIGRATIONS });
    return thread;
  } catch (error) {
    await thread.close();
    throw error;
  }
}

/**
 * Makes the template in a thread of its own, closed once dumped: dumping grows a database
 * thread's memory by about the dump's size for good, so no database that goes on serving makes it.
 */
async function buildTemplate(): Promise<ArrayBuffer> {
  const builder = await migrated(await PgliteThread.start({ dataDir: null, template: null }));
  try {
    return await builder.dump();
  } finally {
    await builder.close();
  }
}

/** The migrated empty database as a tarball, or null when it could not be had (then initdb runs). */
function template(keepInProcess: boolean): Promise<ArrayBuffer | null> {
  const made = processTemplate ?? cachedTemplate(buildTemplate);
  if (keepInProcess) processTemplate = made;
  return made.catch(() => null);
}

/**
 * Starts PGlite in `dir` (in memory when null), from the template when the database is new.
 * Migrating after a load is a no-op unless a migration is newer than the template. A template
 * that fails to load is forgotten, and the database is made by initdb instead.
 */
async function startPglite(dir: string | null, keepInProcess: boolean): Promise<PgliteThread> {
  const isNew = dir === null || readdirSync(dir).length === 0;
  const start = isNew ? await template(keepInProcess) : null;
  if (!start) return migrated(await PgliteThread.start({ dataDir: dir, template: null }));
  try {
    return await migrated(await PgliteThread.start({ dataDir: dir, template: start }));
  } catch {
    processTemplate = undefined;
    forgetTemplate();
    if (dir) for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
    return migrated(await PgliteThread.start({ dataDir: dir, template: null }));
  }
}

async function openPglite(dataDir: string | undefined, keepInProcess: boolean): Promise<PgliteThread> {
  if (!dataDir) return startPglite(null, keepInProcess);
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const thread = await startPglite(dir, keepInProcess);
  try {
    await restrictDataDir(dir);
  } catch (error) {
    await thread.close();
    throw error;
  }
  return thread;
}

async function migrateWithLock(databaseUrl: string): Promise<void> {
  // One dedicated connection: a session advisory lock only protects work on its own session.
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      await migratePostgres(drizzlePostgres({ client: sql }), { migrationsFolder: migrationsFolder(), ...MIGRATIONS });
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Opens the database and applies pending migrations: PostgreSQL when `databaseUrl` is given,
 * else PGlite in `dataDir`, else PGlite in memory. Concurrent starts against one PostgreSQL
 * database are serialised by an advisory lock, so only one of them migrates.
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const { databaseUrl } = options;
  if (databaseUrl) {
    await migrateWithLock(databaseUrl);
    const client = postgres(databaseUrl, { max: options.poolSize ?? 10, onnotice: () => {} });
    const orm = drizzlePostgres({ client, schema }) as unknown as Orm;
    let closed = false;
    return {
      kind: 'postgres',
      orm,
      dataDir: null,
      rows: <T>(query: SQL, on: Executor = orm) => rowsOf<T>(on, query),
      transaction: <T>(work: (run: RawRunner) => Promise<T>) => orm.transaction((tx) => work(<R>(query: SQL) => rowsOf<R>(tx, query))),
      listen: (channel, handlers) => listenPostgres(databaseUrl, channel, handlers),
      async close() {
        if (closed) return;
        closed = true;
        await client.end({ timeout: 5 });
      },
    };
  }
  const client = await openPglite(options.dataDir, options.memoryTemplate ?? true);
  // inlineSql() relies on it; it is PostgreSQL's default, made certain here.
  await client.exec('set standard_conforming_strings = on');
  // An embedded database belongs to one process at a time: instances recorded by an earlier
  // process are dead, so their leases and in-progress keys are free from the first request on.
  if (options.dataDir) await client.exec('delete from instances');
  const orm = drizzlePglite({ client: client as unknown as PGlite, schema }) as unknown as Orm;
  const execRows = async <T>(on: PgliteRunner, query: SQL): Promise<T[]> => {
    const results = await on.exec(inlineSql(query));
    return (results[results.length - 1]?.rows ?? []) as T[];
  };
  let closed = false;
  return {
    kind: 'pglite',
    orm,
    dataDir: options.dataDir ? resolve(options.dataDir) : null,
    rows: <T>(query: SQL, on?: Executor) => (on ? rowsOf<T>(on, query) : execRows<T>(client, query)),
    transaction: <T>(work: (run: RawRunner) => Promise<T>) => client.transaction((tx) => work(<R>(query: SQL) => execRows<R>(tx, query))),
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
      // PGlite rewrites a few files on the way out with modes of its own choosing.
      if (options.dataDir) await restrictDataDir(resolve(options.dataDir));
    },
  };
}
