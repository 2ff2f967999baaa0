import type { ServiceContext } from '../services/context.js';

/** What a {@link Poller} runs, how often, and what it logs when a run fails. */
export interface PollerOptions {
  intervalMs: number;
  /** One run of the worker; resolves with how much it did. */
  run: () => Promise<number>;
  logger: ServiceContext['logger'];
  /** The log message of a failed run, e.g. `booking reminders failed`. */
  failure: string;
  /**
   * A run asked for while one is going waits for it, then runs again, so that work recorded
   * during the run (and possibly after its claim) is covered. Otherwise the call joins the run
   * in progress.
   */
  rerun?: boolean;
}

/**
 * The polling part of the background workers: runs the worker every interval until stopped,
 * one run at a time, and on stop waits for the run in progress. A failed run is logged and the
 * next poll tries again. The timer never keeps the process alive.
 */
export class Poller {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<number> | null = null;

  constructor(private readonly options: PollerOptions) {}

  /** Polls until {@link stop}; with `now`, also runs at once (catching up after downtime). No-op when already polling. */
  start({ now }: { now: boolean }): void {
    if (this.#timer) return;
    this.#timer = setInterval(this.poke, this.options.intervalMs);
    this.#timer.unref();
    if (now) this.poke();
  }

  /** Asks for a run without waiting for it (a booking changed, say); a failure is logged. */
  readonly poke = (): void => {
    this.runDue().catch((error: unknown) => this.options.logger.error({ err_message: (error as Error).message }, this.options.failure));
  };

  /** Runs now, or joins (or, with `rerun`, follows) the run in progress; resolves with what the run did. */
  async runDue(): Promise<number> {
    const current = this.#running;
    if (this.options.rerun && current) await current.catch(() => undefined);
    this.#running ??= this.options.run().finally(() => (this.#running = null));
    return this.#running;
  }

  /** Stops polling and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => undefined);
  }
}
