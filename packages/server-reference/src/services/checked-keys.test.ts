import { describe, expect, it } from 'vitest';
import { CheckedKeys } from './checked-keys.js';

/** A read that resolves (or fails) when told to; counts how many were made. */
function gatedReads<T>() {
  let reads = 0;
  let settle: { resolve(value: T): void; reject(error: Error): void } | null = null;
  const read = () => {
    reads++;
    return new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
  };
  return { read, reads: () => reads, resolve: (value: T) => settle!.resolve(value), reject: (error: Error) => settle!.reject(error) };
}

describe('CheckedKeys', () => {
  it('reads a key once for every request that arrives while it is read, then answers from memory', async () => {
    const keys = new CheckedKeys<string>();
    const gate = gatedReads<string>();
    const waiting = Array.from({ length: 32 }, () => keys.get('h1', gate.read));
    gate.resolve('partner-1');
    expect(await Promise.all(waiting)).toEqual(Array(32).fill('partner-1'));
    expect(await keys.get('h1', gate.read)).toBe('partner-1');
    expect(gate.reads()).toBe(1);
  });

  it('does not remember a failed check: the next request reads again', async () => {
    const keys = new CheckedKeys<string>();
    const gate = gatedReads<string>();
    const first = [keys.get('h1', gate.read), keys.get('h1', gate.read)];
    gate.reject(new Error('revoked'));
    for (const result of await Promise.allSettled(first)) expect(result.status).toBe('rejected');
    const again = keys.get('h1', gate.read);
    gate.resolve('partner-1');
    expect(await again).toBe('partner-1');
    expect(gate.reads()).toBe(2);
  });

  it('keeps nothing read before a clear: a revocation is not undone by a read that was in flight', async () => {
    const keys = new CheckedKeys<string>();
    const before = gatedReads<string>();
    const inFlight = keys.get('h1', before.read);
    keys.clear();
    const after = gatedReads<string>();
    const fresh = keys.get('h1', after.read);
    before.resolve('stale');
    expect(await inFlight).toBe('stale');
    after.reject(new Error('revoked'));
    await expect(fresh).rejects.toThrow('revoked');
    expect(after.reads()).toBe(1);
    const third = gatedReads<string>();
    const next = keys.get('h1', third.read);
    third.reject(new Error('revoked'));
    await expect(next).rejects.toThrow('revoked');
    expect(third.reads()).toBe(1);
  });
});
