import { describe, expect, it } from 'vitest';
import { AttemptAbort } from './attempt-abort.js';

describe('AttemptAbort', () => {
  it('calls registered listeners once, with the reason set first', () => {
    const abort = new AttemptAbort();
    const seen: (string | undefined)[] = [];
    abort.once('abort', () => seen.push(abort.reason?.message));
    abort.on('abort', () => seen.push('second'));
    abort.abort(new Error('timed out'));
    abort.abort(new Error('again'));
    expect(seen).toEqual(['timed out', 'second']);
    expect(abort.reason?.message).toBe('timed out');
  });

  it('does not call removed listeners, and calls late ones asynchronously', async () => {
    const abort = new AttemptAbort();
    let removed = 0;
    const listener = () => removed++;
    abort.once('abort', listener);
    abort.removeListener('abort', listener);
    abort.abort(new Error('x'));
    expect(removed).toBe(0);
    let late = 0;
    abort.on('abort', () => late++);
    await Promise.resolve();
    expect(late).toBe(1);
  });

  it('has no `aborted` property, so undici treats it as an EventEmitter', () => {
    expect('aborted' in new AttemptAbort()).toBe(false);
  });
});
