/**
 * A small map that forgets its oldest entry when full. Keys are secrets, of which a receiver has
 * a handful, so the bound only matters if a caller passes a fresh secret per request; first-in
 * first-out eviction keeps a hit as cheap as a `Map.get`.
 */
export class BoundedCache<V> {
  readonly #entries = new Map<string, V>();

  constructor(readonly max: number) {}

  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: V): void {
    if (this.#entries.size >= this.max && !this.#entries.has(key)) {
      this.#entries.delete(this.#entries.keys().next().value as string);
    }
    this.#entries.set(key, value);
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** How many parsed keys each cache keeps. */
export const KEY_CACHE_SIZE = 100;
