/**
 * How long a successful key check is remembered. Short, because other instances learn of a
 * revocation only through the database; on the instance that revokes, the cache is cleared.
 */
const TTL_MS = 5_000;
/** Keys remembered at most (all are dropped when full: a flood of new keys only costs reads). */
const MAX = 10_000;

/**
 * API keys checked in the last few seconds, by hash, with what the check found: the hot paths
 * (leads, lookups) read the key table once per key every few seconds instead of per request.
 * One read per key at a time: requests that arrive while a key is read (all those in flight when
 * its entry ages out, say) wait for that read instead of each sending their own. A failed check
 * is not remembered. {@link clear} forgets everything, reads in progress included, so nothing read
 * before a revocation is kept after it.
 */
export class CheckedKeys<T> {
  readonly #entries = new Map<string, { value: T; expires: number }>();
  readonly #reading = new Map<string, Promise<T>>();
  #generation = 0;

  /**
   * What the check of the key with this hash found: from memory as it is (no promise to wait for
   * on the hot path), or from `read`, which throws for a key that fails.
   */
  get(hash: string, read: () => Promise<T>): T | Promise<T> {
    const hit = this.#entries.get(hash);
    if (hit && hit.expires >= Date.now()) return hit.value;
    const running = this.#reading.get(hash);
    if (running) return running;
    const generation = this.#generation;
    const reading = read()
      .then(
        (value) => {
          if (generation === this.#generation) {
            if (this.#entries.size >= MAX) this.#entries.clear();
            this.#entries.set(hash, { value, expires: Date.now() + TTL_MS });
          }
          return value;
        },
        (error: unknown) => {
          this.#entries.delete(hash);
          throw error;
        },
      )
      .finally(() => {
        if (this.#reading.get(hash) === reading) this.#reading.delete(hash);
      });
    this.#reading.set(hash, reading);
    return reading;
  }

  /** Forgets every key (after a key or its owner changed). */
  clear(): void {
    this.#generation++;
    this.#entries.clear();
    this.#reading.clear();
  }
}
