import { Worker } from 'node:worker_threads';
import type { QueryOptions, Results } from '@electric-sql/pglite';
import type { ThreadError, ThreadInit, ThreadReply, ThreadRequest } from './pglite-protocol.js';

/** What {@link PgliteThread.query} and `exec` run on: the database, or one open transaction. */
export interface PgliteRunner {
  query<T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(text: string): Promise<Results[]>;
}

/** The worker's file next to this module: the TypeScript source under test, the built file in `dist`. */
const WORKER_FILE = new URL(import.meta.url.endsWith('.ts') ? './pglite-worker.ts' : './pglite-worker.js', import.meta.url);

/** Options of {@link QueryOptions} that hold functions or blobs, which cannot cross to the database thread. */
const UNSUPPORTED: (keyof QueryOptions)[] = ['serializers', 'blob', 'onNotice', 'paramTypes'];

/** A request before it is numbered (`Omit` applied to each member of the union). */
type Request = ThreadRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

function errorFrom(error: ThreadError): Error {
  return Object.assign(new Error(error.message), error.fields, { message: error.message });
}

/**
 * The thread's young generation, MB. V8 sizes it from the machine's memory (128 MB with 24 GB), and
 * under load it grew to that and stayed; what this thread allocates (statements, results,
 * protocol buffers) dies within a statement or two, so a small one costs no throughput
 * (measured: the same CPU per lead in ingest) and keeps about 80 MB less resident.
 */
const YOUNG_GENERATION_MB = 16;

/**
 * Embedded PGlite running in a worker thread, with the part of PGlite's API that drizzle and
 * the services use (`query`, `exec`, `transaction`). PGlite runs each statement as
 * synchronous WebAssembly: in the server's own thread, every statement (and every batch of
 * audit rows) stalls all requests for its whole length, and the database and HTTP work share
 * one core. Here they overlap, and a long statement delays only statements.
 *
 * Semantics are PGlite's: one session, statements in the order sent, and a transaction holds
 * every other statement back until it ends.
 */
export class PgliteThread implements PgliteRunner {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #lastId = 0;
  #failure: Error | null = null;
  #closing: Promise<void> | null = null;

  private constructor(worker: Worker) {
    this.#worker = worker;
  }

  /** Starts the thread and opens the database in it (initdb, or loading `template`). */
  static start(init: ThreadInit): Promise<PgliteThread> {
    // The name is the OS thread's too, so the thread's CPU time can be told apart (bench, top -H).
    const worker = new Worker(WORKER_FILE, { workerData: init, name: 'careos-pglite', resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    const thread = new PgliteThread(worker);
    return new Promise((resolve, reject) => {
      const failed = (error: Error) => reject(error);
      worker.once('error', failed);
      worker.once('exit', (code) => failed(new Error(`The database thread exited with code ${code} while opening`)));
      worker.once('message', (reply: ThreadReply) => {
        worker.removeAllListeners('error').removeAllListeners('exit');
        if (!reply.ok) {
          // The thread is discarded, but may still raise an error while it stops: PGlite, given a
          // template it cannot untar, tries to gunzip it and leaves that stream's write promise
          // rejected with nobody awaiting it. With no listener, that error would end this process.
          worker.on('error', () => {});
          void worker.terminate();
          reject(errorFrom(reply.error));
          return;
        }
        thread.#listen();
        resolve(thread);
      });
    });
  }

  #listen(): void {
    const worker = this.#worker;
    worker.on('message', (reply: ThreadReply) => {
      const call = this.#pending.get(reply.id);
      if (!call) return;
      this.#pending.delete(reply.id);
      // Idle: let the process exit, as it may with PGlite in its own thread.
      if (this.#pending.size === 0) worker.unref();
      if (reply.ok) call.resolve(reply.value);
      else call.reject(errorFrom(reply.error));
    });
    const fail = (error: Error) => {
      this.#failure ??= error;
      for (const call of this.#pending.values()) call.reject(this.#failure);
      this.#pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The database thread has stopped (exit code ${code})`)));
    worker.unref();
  }

  #call<T>(request: Request): Promise<T> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = ++this.#lastId;
    return new Promise<T>((resolve, reject) => {
      // A pending answer keeps the process alive, like any other I/O.
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  #query<T>(text: string, params: unknown[], options: QueryOptions | undefined, tx: number | undefined): Promise<Results<T>> {
    const unsupported = UNSUPPORTED.filter((key) => options?.[key] !== undefined);
    if (unsupported.length > 0) return Promise.reject(new Error(`Query options ${unsupported.join(', ')} are not supported across the database thread`));
    const parsers = options?.parsers;
    const raw = parsers ? Object.keys(parsers).map(Number) : [];
    const result = this.#call<Results<T>>({ op: 'query', text, params, rowMode: options?.rowMode, raw, tx });
    return parsers ? result.then((results) => applyParsers(results, parsers)) : result;
  }

  /** One statement with `$n` parameters (PGlite's `query`). */
  query<T>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    return this.#query(text, params, options, undefined);
  }

  /** One or more statements without parameters (PGlite's `exec`, the simple-query protocol). */
  exec(text: string): Promise<Results[]> {
    return this.#call({ op: 'exec', text, tx: undefined });
  }

  /** Runs `work` in a transaction: committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: (tx: PgliteRunner) => Promise<T>): Promise<T> {
    const tx = await this.#call<number>({ op: 'begin' });
    const runner: PgliteRunner = {
      query: (text, params = [], options) => this.#query(text, params, options, tx),
      exec: (text) => this.#call({ op: 'exec', text, tx }),
    };
    let result: T;
    try {
      result = await work(runner);
    } catch (error) {
      await this.#call({ op: 'rollback', tx }).catch(() => undefined);
      throw error;
    }
    await this.#call({ op: 'commit', tx });
    return result;
  }

  /** The database as a tarball (PGlite's `dumpDataDir('none')`). */
  dump(): Promise<ArrayBuffer> {
    return this.#call({ op: 'dump' });
  }

  /** Closes the database and stops the thread. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      try {
        if (!this.#failure) await this.#call({ op: 'close' });
      } finally {
        this.#failure ??= new Error('The database is closed');
        await this.#worker.terminate();
      }
    })();
    return this.#closing;
  }
}

/** Applies the caller's parsers, in this thread, to the columns the database thread left as text. */
function applyParsers<T>(results: Results<T>, parsers: NonNullable<QueryOptions['parsers']>): Results<T> {
  const columns = results.fields.flatMap((field, index) => {
    const parse = parsers[field.dataTypeID];
    return parse ? [{ index, name: field.name, parse }] : [];
  });
  if (columns.length === 0) return results;
  for (const row of results.rows as Record<string | number, unknown>[]) {
    for (const column of columns) {
      const key = Array.isArray(row) ? column.index : column.name;
      const value = row[key];
      if (typeof value === 'string') row[key] = column.parse(value);
    }
  }
  return results;
}
