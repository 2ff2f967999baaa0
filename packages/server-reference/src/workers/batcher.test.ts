import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.js';

describe('Batcher', () => {
  it('groups items submitted while a batch is written into the next one', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = new Batcher<number, number>({
      run: async (items) => {
        batches.push(items);
        if (batches.length === 1) await gate;
        return items.map((n) => n * 10);
      },
    });
    const first = batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [2, 3, 4].map((n) => batcher.submit(n));
    release();
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('fails single items, and retries a failed batch item by item', async () => {
    const calls: number[][] = [];
    const batcher = new Batcher<number, number>({
      run: async (items) => {
        calls.push(items);
        if (items.length > 1 && items.includes(3)) throw new Error('batch failed');
        return items.map((n) => (n === 2 ? new Error('two is refused') : n === 3 ? (() => { throw new Error('three breaks'); })() : n));
      },
    });
    const results = await Promise.allSettled([1, 2, 3, 4].map((n) => batcher.submit(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('two is refused');
    expect((results[2] as PromiseRejectedResult).reason.message).toBe('three breaks');
    expect(calls).toEqual([[1, 2, 3, 4], [1], [2], [3], [4]]);
  });

  it('respects the batch size and drains', async () => {
    const sizes: number[] = [];
    const batcher = new Batcher<number, void>({ maxBatch: 3, run: async (items) => (sizes.push(items.length), items.map(() => undefined)) });
    for (let i = 0; i < 7; i++) void batcher.submit(i);
    expect(batcher.busy).toBe(true);
    await batcher.drain();
    expect(batcher.busy).toBe(false);
    expect(sizes).toEqual([3, 3, 1]);
  });
});

describe('Batcher waiting for upcoming items', () => {
  it('holds a batch until announced items arrive, then cuts it at once', async () => {
    const batches: number[][] = [];
    let upcoming = 2;
    const batcher = new Batcher<number, number>({ upcoming: () => upcoming, maxWaitMs: 10_000, run: async (items) => (batches.push(items), items) });
    const first = batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([]);
    upcoming = 1;
    const second = batcher.submit(2);
    upcoming = 0;
    batcher.nudge();
    await Promise.all([first, second]);
    expect(batches).toEqual([[1, 2]]);
  });

  it('stops waiting after maxWaitMs', async () => {
    const batcher = new Batcher<number, number>({ upcoming: () => 5, maxWaitMs: 5, run: async (items) => items });
    expect(await batcher.submit(7)).toBe(7);
  });
});
