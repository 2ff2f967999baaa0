/**
 * An abort handle for one attempt, in the EventEmitter shape undici accepts as `signal`.
 * undici routes a real `AbortSignal` through Node's `addAbortListener`, which costs more per
 * request than the rest of the SDK's bookkeeping together; this handle is a field and a
 * callback. It has no `aborted` property on purpose: undici takes that as a sign of an
 * `AbortSignal` and picks the slow path.
 */
export class AttemptAbort {
  /** Why the attempt was aborted; undici rejects with it. */
  reason: Error | undefined;
  #listeners: (() => void)[] = [];
  #fired = false;

  /** Registers `listener` for `abort` (the only event). */
  on(_event: 'abort', listener: () => void): this {
    if (this.#fired) queueMicrotask(listener);
    else this.#listeners.push(listener);
    return this;
  }

  /** Same as {@link on}: the event fires at most once. */
  once(event: 'abort', listener: () => void): this {
    return this.on(event, listener);
  }

  /** Unregisters `listener`. */
  removeListener(_event: 'abort', listener: () => void): this {
    const at = this.#listeners.indexOf(listener);
    if (at !== -1) this.#listeners.splice(at, 1);
    return this;
  }

  /** Aborts the attempt (once). */
  abort(reason: Error): void {
    if (this.#fired) return;
    this.#fired = true;
    this.reason = reason;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
  }
}
