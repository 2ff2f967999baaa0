import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProgressBar, formatDuration, progressText } from './progress.js';

function terminal() {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      writes.push(String(chunk));
      done();
    },
  });
  return { stream, last: () => writes.at(-1) ?? '' };
}

describe('progress line', () => {
  it('shows done/total, the rate and an ETA', () => {
    const text = progressText({ tally: { sent: 40, replayed: 5, failed: 5 }, total: 200, elapsedMs: 10_000, rateLimitedForMs: 0 });
    expect(text).toContain('50/200');
    expect(text).toContain('sent 40  replayed 5  failed 5');
    expect(text).toContain('5.0/s');
    expect(text).toContain('ETA 30s');
  });

  it('without a total (stdin) counts what is done, with no ETA', () => {
    const text = progressText({ tally: { sent: 12, replayed: 0, failed: 0 }, total: undefined, elapsedMs: 1000, rateLimitedForMs: 0 });
    expect(text).toMatch(/^12 done/);
    expect(text).not.toContain('ETA');
  });

  it('while rate-limited, counts down to when sending resumes instead of freezing', () => {
    let now = 0;
    const { stream, last } = terminal();
    const bar = new ProgressBar(100, stream as unknown as NodeJS.WriteStream, () => now);
    now = 2000;
    bar.update({ sent: 10, replayed: 0, failed: 0 }, true);
    bar.rateLimited(50_000);
    expect(last()).toContain('rate limited, resuming in 50 s');
    expect(last()).not.toContain('ETA');
    now = 30_500;
    bar.update({ sent: 10, replayed: 0, failed: 0 }, true);
    expect(last()).toContain('rate limited, resuming in 22 s');
    now = 52_001;
    bar.update({ sent: 11, replayed: 0, failed: 0 }, true);
    expect(last()).not.toContain('rate limited');
    expect(last()).toContain('ETA');
    bar.finish({ sent: 11, replayed: 0, failed: 0 });
  });

  it('formats durations', () => {
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(185)).toBe('3m05s');
    expect(formatDuration(3720)).toBe('1h02m');
  });
});
