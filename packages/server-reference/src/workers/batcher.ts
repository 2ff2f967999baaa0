/** Options of {@link Batcher}. */
export interface BatcherOptions<T, R> {
  /**
   * Processes a batch, returning one result per item in order; an `Error` in the result
   * array fails only that item. Throwing fails the batch: it is then retried item by item,
   * so one bad item cannot take its neighbours down with it.
   */
  run(items: T[]): Promise<(R | Error)[]>;
  /** Largest batch (default 256). */
  maxBatch?: number;
  /** Batches in flight at once (default 1). */
  concurrency?: number;
  /**
   * How many items are known to be on their way (e.g. requests still being verified). While
   * some are, a batch that is not full waits for them — at most `maxWaitMs` — so a burst
   * shares one batch instead of trickling into several small ones. Call {@link Batcher.nudge}
   * when the count drops without a submit.
   */
  upcoming?: () => number;
  /** Longest wait for upcoming items, in ms (default 2). */
  maxWaitMs?: number;
}

interface Pending<T, R> {
  item: T;
  resolve(value: R): void;
  reject(error: unknown): void;
}

/**
 * Group commit: items submitted while a batch is being written wait and go together in the
 * next one. Under light load a batch holds one item and nothing waits; under heavy load a
 * whole queue of requests shares one transaction, so the per-statement cost of the database
 * (high on the single-connection embedded PGlite) is paid once per batch, not per item.
 */
export class Batcher<T, R> {
  readonly #run: BatcherOptions<T, R>['run'];
  readonly #maxBatch: number;
  readonly #concurrency: number;
  #queue: Pending<T, R>[] = [];
  #inFlight = 0;
  #scheduled = false;
  #idleWaiters: (() => void)[] = [];
  readonly #upcoming: (() => number) | undefined;
  readonly #maxWaitMs: number;
  #waitTimer: NodeJS.Timeout | null = null;
  #waitedOut = false;

  constructor(options: BatcherOptions<T, R>) {
    this.#run = options.run;
    this.#maxBatch = options.maxBatch ?? 256;
    this.#concurrency = options.concurrency ?? 1;
    this.#upcoming = options.upcoming;
    this.#maxWaitMs = options.maxWaitMs ?? 2;
  }

  /** Re-checks whether a waiting batch can be cut (after the upcoming count dropped). */
  nudge(): void {
    if (this.#queue.length > 0) this.#schedule();
  }

  /** Queues an item; resolves with its result once its batch is written. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  /** Items waiting plus batches in flight. */
  get busy(): boolean {
    return this.#queue.length > 0 || this.#inFlight > 0;
  }

  /** Resolves once everything submitted so far has been written. */
  drain(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#concurrency) return;
    this.#scheduled = true;
    // setImmediate, not a microtask: requests whose bodies arrived in the same I/O turn
    // all get to submit before the batch is cut.
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#inFlight < this.#concurrency && this.#queue.length > 0) {
      if (!this.#waitedOut && this.#upcoming && this.#queue.length < this.#maxBatch && this.#upcoming() > 0) {
        this.#waitTimer ??= setTimeout(() => {
          this.#waitTimer = null;
          this.#waitedOut = true;
          this.#pump();
          this.#waitedOut = false;
        }, this.#maxWaitMs);
        return;
      }
      if (this.#waitTimer) {
        clearTimeout(this.#waitTimer);
        this.#waitTimer = null;
      }
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#inFlight += 1;
      void this.#process(batch).finally(() => {
        this.#inFlight -= 1;
        if (this.#queue.length > 0) this.#pump();
        else if (this.#inFlight === 0) this.#idleWaiters.splice(0).forEach((w) => w());
      });
    }
  }

  async #process(batch: Pending<T, R>[]): Promise<void> {
    try {
      const results = await this.#run(batch.map((p) => p.item));
      batch.forEach((p, i) => {
        const result = results[i];
        if (result instanceof Error) p.reject(result);
        else p.resolve(result as R);
      });
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const pending of batch) await this.#process([pending]);
    }
  }
}
