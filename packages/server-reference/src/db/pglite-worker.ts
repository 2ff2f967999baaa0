// The thread that runs embedded PGlite (see pglite-thread.ts). Every statement is synchronous
// WebAssembly, so here it runs beside the HTTP server's event loop instead of inside it.
// Node runs this file as it is from `src` (type stripping) and as built from `dist`: it
// imports packages and types only.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import type { ThreadError, ThreadInit, ThreadReply, ThreadRequest } from './pglite-protocol.js';

const init = workerData as ThreadInit;
const port = parentPort!;

/** Contrib extensions the migrations create (btree_gist: the bookings' exclusion constraint). */
const extensions = { btree_gist };

/**
 * PostgreSQL's buffer pool. PGlite's own setting (128 MB) fills as pages are touched and holds
 * them for good; here the pages already sit in memory once more — in the in-memory file system,
 * or in the OS page cache of the data directory — so a small pool saves most of that memory
 * and costs a copy per page it misses.
 */
const SHARED_BUFFERS = '16MB';

/**
 * The write-ahead log's bounds. PGlite runs PostgreSQL as a single-user backend, which has no
 * checkpointer: no checkpoint is ever taken by time or by volume, so the log only grows — in
 * memory for an in-memory database (about 10 kB per lead ingested, gigabytes under sustained
 * load), on disk in a data directory, where crash recovery would then replay all of it. So this
 * thread takes a checkpoint itself every {@link DEFAULT_CHECKPOINT_WAL_BYTES} of log (about ten
 * milliseconds: the buffer pool is small), and the settings below let the checkpoint remove the
 * old segments instead of keeping up to a gigabyte of them for reuse.
 */
const WAL_SETTINGS = ['min_wal_size=32MB', 'max_wal_size=128MB'];
const DEFAULT_CHECKPOINT_WAL_BYTES = 64 * 1024 * 1024;
/** Often enough that the log written between two looks (up to about 16 MiB a second under full ingest) stays small beside the bound. */
const DEFAULT_CHECKPOINT_CHECK_MS = 1_000;

function open(): Promise<PGlite> {
  const settings = [
    `shared_buffers=${SHARED_BUFFERS}`,
    ...WAL_SETTINGS,
    // An in-memory database is never recovered after a crash, so the full-page images that
    // guard recovery against torn pages would only add log after every checkpoint.
    ...(init.dataDir === null ? ['full_page_writes=off'] : []),
  ];
  return PGlite.create({
    dataDir: init.dataDir ?? undefined,
    // A template is loaded only into a new database: PGlite refuses one over an existing PG_VERSION.
    loadDataDir: init.template ? new Blob([init.template]) : undefined,
    extensions,
    startParams: [...PGlite.defaultStartParams, ...settings.flatMap((setting) => ['-c', setting])],
  });
}

/** Statements the server sent since the last look at the log: none, and there is nothing to look at. */
let statementsSinceCheck = 0;

/**
 * Checks, every `checkpointCheckMs` in which the server sent statements, how much log was
 * written since the last checkpoint, and takes one past `checkpointWalBytes` (see
 * {@link WAL_SETTINGS}). Both wait their turn behind the statements and transactions in
 * progress, like any statement; an idle database is left alone. Returns the stop function.
 */
function boundWal(pg: PGlite): () => void {
  const limit = init.checkpointWalBytes ?? DEFAULT_CHECKPOINT_WAL_BYTES;
  let checking = false;
  const check = async () => {
    if (checking || statementsSinceCheck === 0) return;
    checking = true;
    statementsSinceCheck = 0;
    try {
      const { rows } = await pg.query<{ written: string }>(`select (pg_current_wal_insert_lsn() - (pg_control_checkpoint()).redo_lsn)::text as written`);
      if (Number(rows[0]?.written ?? 0) > limit) await pg.exec('checkpoint');
    } catch {
      // Closing, or a checkpoint that failed: the next check tries again.
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), init.checkpointCheckMs ?? DEFAULT_CHECKPOINT_CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** The error's message and its string and number fields (PostgreSQL's `code`, `detail` …): functions and objects cannot cross threads. */
function errorOf(error: unknown): ThreadError {
  const fields: Record<string, string | number> = {};
  if (typeof error === 'object' && error !== null) {
    for (const [key, value] of Object.entries(error)) if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  }
  return { message: error instanceof Error ? error.message : String(error), fields };
}

/** A transaction held open between the main thread's statements until it commits or rolls back. */
interface OpenTransaction {
  tx: Transaction | undefined;
  decide(commit: boolean): void;
  done: Promise<void>;
}

const transactions = new Map<number, OpenTransaction>();
let lastTransaction = 0;

/**
 * Opens a transaction through PGlite's own `transaction()`, which also holds every statement
 * outside it back until it ends, exactly as in one thread.
 */
function begin(pg: PGlite): Promise<number> {
  const id = ++lastTransaction;
  let decide!: (commit: boolean) => void;
  const decision = new Promise<boolean>((resolve) => (decide = resolve));
  return new Promise((started, failed) => {
    const open: OpenTransaction = { tx: undefined, decide, done: Promise.resolve() };
    open.done = pg.transaction(async (tx) => {
      open.tx = tx;
      started(id);
      if (!(await decision)) await tx.rollback();
    });
    transactions.set(id, open);
    open.done.catch((error: unknown) => {
      transactions.delete(id);
      failed(error);
    });
  });
}

async function finish(id: number, commit: boolean): Promise<void> {
  const open = transactions.get(id);
  if (!open) throw new Error(`No open transaction ${id}`);
  transactions.delete(id);
  open.decide(commit);
  await open.done;
}

function on(pg: PGlite, tx: number | undefined): PGlite | Transaction {
  if (tx === undefined) return pg;
  const open = transactions.get(tx)?.tx;
  if (!open) throw new Error(`No open transaction ${tx}`);
  return open;
}

const keepText = (value: string) => value;

async function run(pg: PGlite, request: ThreadRequest): Promise<unknown> {
  switch (request.op) {
    case 'query':
      // Columns of the `raw` types come back as text; the main thread applies its own parsers to them.
      return on(pg, request.tx).query(request.text, request.params, {
        ...(request.rowMode ? { rowMode: request.rowMode } : {}),
        parsers: Object.fromEntries(request.raw.map((type) => [type, keepText])),
      });
    case 'exec':
      return on(pg, request.tx).exec(request.text);
    case 'begin':
      return begin(pg);
    case 'commit':
    case 'rollback':
      return finish(request.tx, request.op === 'commit');
    case 'dump':
      return (await pg.dumpDataDir('none')).arrayBuffer();
    case 'close':
      stopWalBound();
      return pg.close();
  }
}

const reply = (message: ThreadReply) => port.postMessage(message);

let stopWalBound = (): void => {};

try {
  const pg = await open();
  stopWalBound = boundWal(pg);
  port.on('message', (request: ThreadRequest) => {
    statementsSinceCheck += 1;
    run(pg, request).then(
      (value) => reply({ id: request.id, ok: true, value }),
      (error: unknown) => reply({ id: request.id, ok: false, error: errorOf(error) }),
    );
  });
  reply({ id: 0, ok: true, value: null });
} catch (error) {
  reply({ id: 0, ok: false, error: errorOf(error) });
}
