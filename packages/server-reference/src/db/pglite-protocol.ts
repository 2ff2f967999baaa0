// The messages between the server's thread and the thread that runs embedded PGlite
// (see pglite-thread.ts). Types only: the worker imports this file, and a type-only import
// leaves nothing behind at run time.

/** What the database thread starts with (its `workerData`). */
export interface ThreadInit {
  /** PGlite data directory; `null` for an in-memory database. */
  dataDir: string | null;
  /** A dump of a migrated empty database to start a new one from (see `dumpDataDir`), in memory or in an empty `dataDir`. */
  template: ArrayBuffer | null;
  /** Write-ahead log written since the last checkpoint that makes the thread take one (default 64 MiB; see the worker). */
  checkpointWalBytes?: number;
  /** How often the thread looks at that distance, ms (default 1,000). */
  checkpointCheckMs?: number;
}

/** A statement, run in the open transaction `tx` when given. */
export type ThreadRequest =
  | { id: number; op: 'query'; text: string; params: unknown[]; rowMode: 'array' | 'object' | undefined; raw: number[]; tx: number | undefined }
  | { id: number; op: 'exec'; text: string; tx: number | undefined }
  | { id: number; op: 'begin' }
  | { id: number; op: 'commit' | 'rollback'; tx: number }
  | { id: number; op: 'dump' }
  | { id: number; op: 'close' };

/** A database error as it crosses threads: its message and PostgreSQL's fields (`code`, `detail`, `constraint` …). */
export interface ThreadError {
  message: string;
  fields: Record<string, string | number>;
}

/** The answer to the request `id`; id 0 tells that the database is open (or could not be). */
export type ThreadReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ThreadError };
