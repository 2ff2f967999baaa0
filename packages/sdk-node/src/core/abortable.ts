import { setTimeout as sleepTimer } from 'node:timers/promises';

/** The reason a signal aborted with, or a standard `AbortError` when it gave none. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * Waits for `promise`, but rejects as soon as `signal` aborts. The promise itself carries on
 * (it may be shared, like a token refresh other callers wait for).
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Sleeps `ms`, rejecting early when `signal` aborts. The timer keeps the process alive: a
 * script awaiting a call that is between retries must not exit.
 */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve();
  return sleepTimer(ms, undefined, signal ? { signal } : undefined);
}
