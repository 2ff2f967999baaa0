import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { ChannelHandlers } from './notifications.js';
import type * as schema from './schema/index.js';

/** The tables, as drizzle sees them. */
export type Schema = typeof schema;

/** A drizzle database over either driver; services only use what both share. */
export type Orm = PgDatabase<PgQueryResultHKT, Schema>;

/** A transaction handle, as passed to `orm.transaction(fn)`. */
export type Tx = Parameters<Parameters<Orm['transaction']>[0]>[0];

/** Anything queries can run on: the database or an open transaction. */
export type Executor = Orm | Tx;

/** Runs one raw statement inside a transaction (`Database.transaction`) and returns its rows. */
export type RawRunner = <T extends Record<string, unknown>>(query: SQL) => Promise<T[]>;

/**
 * An open database: embedded PGlite (one process, in memory or in a data directory) or a
 * PostgreSQL server. Migrations have been applied by the time you get one.
 */
export interface Database {
  /** Which engine is underneath. PGlite serialises all work on one connection. */
  readonly kind: 'pglite' | 'postgres';
  /**
   * The drizzle handle.
   * @internal
   */
  readonly orm: Orm;
  /** PGlite data directory, or `null` (in memory, or PostgreSQL). */
  readonly dataDir: string | null;
  /**
   * Runs raw SQL and returns its rows, the same shape on both drivers. Without `on`, PGlite
   * runs it on its fast path (see `inlineSql`).
   * @internal
   */
  rows<T extends Record<string, unknown>>(query: SQL, on?: Executor): Promise<T[]>;
  /**
   * Runs `work` in a transaction whose statements are raw SQL (the hot paths), on PGlite's
   * fast path. Rolled back if `work` throws.
   * @internal
   */
  transaction<T>(work: (run: RawRunner) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL only: LISTENs on `channel` on a connection of its own (see `listenPostgres`);
   * resolves once listening, with the function that stops. Absent on PGlite, which belongs to
   * one process: there, what one instance writes it knows without being told.
   * @internal
   */
  listen?(channel: string, handlers: ChannelHandlers): Promise<() => Promise<void>>;
  /** Closes the connection(s). Idempotent. */
  close(): Promise<void>;
}
