import { onTestFinished, vi } from 'vitest';

/**
 * Freezes the clock a client reads token ages from (`Date`; timers stay real, so HTTP works)
 * until the test ends; `age` moves it on. Create the client after calling this: it keeps the
 * `Date.now` it finds.
 */
export function fakeClock(): { age(ms: number): void } {
  vi.useFakeTimers({ toFake: ['Date'] });
  onTestFinished(() => {
    vi.useRealTimers();
  });
  return { age: (ms) => vi.setSystemTime(Date.now() + ms) };
}
