import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.js';
import { Poller } from './poller.js';

/** A run that waits for `release()`; counts how many runs started. */
function gatedRun() {
  let started = 0;
  let release: () => void = () => {};
  const run = () => {
    started++;
    return new Promise<number>((resolve) => (release = () => resolve(started)));
  };
  return { run, started: () => started, release: () => release() };
}

const logger = createLogger({ level: 'silent' });

describe('Poller', () => {
  it('joins the run in progress instead of starting a second one', async () => {
    const gate = gatedRun();
    const poller = new Poller({ intervalMs: 60_000, run: gate.run, logger, failure: 'failed' });
    const first = poller.runDue();
    const second = poller.runDue();
    gate.release();
    expect(await Promise.all([first, second])).toEqual([1, 1]);
    expect(gate.started()).toBe(1);
  });

  it('with rerun, runs again after the run in progress, once for every caller that waited', async () => {
    const gate = gatedRun();
    const poller = new Poller({ intervalMs: 60_000, run: gate.run, logger, failure: 'failed', rerun: true });
    const first = poller.runDue();
    const waiting = [poller.runDue(), poller.runDue()];
    gate.release();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(gate.started()).toBe(2);
    gate.release();
    expect(await Promise.all(waiting)).toEqual([2, 2]);
  });

  it('runs at start when asked, and stop waits for the run in progress', async () => {
    const gate = gatedRun();
    const poller = new Poller({ intervalMs: 60_000, run: gate.run, logger, failure: 'failed' });
    poller.start({ now: true });
    expect(gate.started()).toBe(1);
    let stopped = false;
    const stopping = poller.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    gate.release();
    await stopping;
    expect(stopped).toBe(true);
  });

  it('logs a failed run and keeps polling', async () => {
    const lines: string[] = [];
    const failing = { ...logger, error: (_fields: object, message: string) => void lines.push(message) } as unknown as typeof logger;
    let runs = 0;
    const poller = new Poller({ intervalMs: 10, run: async () => { runs++; throw new Error('database away'); }, logger: failing, failure: 'reminders failed' });
    poller.start({ now: true });
    // Until the timer has run it again after a failure, however long the machine takes.
    while (runs < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    await poller.stop();
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(lines.every((line) => line === 'reminders failed')).toBe(true);
    expect(lines.length).toBe(runs);
  });
});
