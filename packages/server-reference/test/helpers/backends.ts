import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../src/index.js';

/** The database engines a suite runs against. */
export type BackendName = 'pglite' | 'postgres';

let explained = false;

/** PGlite always; PostgreSQL too when `DATABASE_URL` is set (the reason is printed once when not). */
export function backendNames(): BackendName[] {
  if (process.env.DATABASE_URL) return ['pglite', 'postgres'];
  if (!explained) {
    explained = true;
    console.info('[server-reference tests] DATABASE_URL is not set: the PostgreSQL runs are skipped, PGlite only.');
  }
  return ['pglite'];
}

/** One test file's database: a fresh in-memory PGlite, or a fresh PostgreSQL database dropped afterwards. */
export interface TestBackend {
  name: BackendName;
  /** URL of the fresh PostgreSQL database (PostgreSQL only). */
  databaseUrl: string | undefined;
  /** Opens a connection to this backend's database (PGlite: the same database every time). */
  open(): Promise<Database>;
  /** Closes what `open` opened and drops the PostgreSQL database. */
  dispose(): Promise<void>;
}

/** Creates the database for one test file. */
export async function createBackend(name: BackendName): Promise<TestBackend> {
  const opened: Database[] = [];
  if (name === 'pglite') {
    let shared: Promise<Database> | undefined;
    return {
      name,
      databaseUrl: undefined,
      open: () => (shared ??= openDatabase({}).then((db) => (opened.push(db), db))),
      async dispose() {
        for (const db of opened) await db.close();
      },
    };
  }
  const adminUrl = process.env.DATABASE_URL!;
  const dbName = `careos_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  return {
    name,
    databaseUrl,
    async open() {
      const db = await openDatabase({ databaseUrl, poolSize: 5 });
      opened.push(db);
      return db;
    },
    async dispose() {
      for (const db of opened) await db.close();
      await admin.unsafe(`drop database if exists ${dbName} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}
