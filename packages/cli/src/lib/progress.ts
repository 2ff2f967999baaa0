/** Counts shown while a bulk run is going. */
export interface Tally {
  sent: number;
  replayed: number;
  failed: number;
}

/** Seconds as `42s`, `3m05s` or `1h02m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The progress line's text, separate from drawing it so it can be tested without a terminal. */
export function progressText(state: { tally: Tally; total: number | undefined; elapsedMs: number; rateLimitedForMs: number }): string {
  const { tally, total, elapsedMs, rateLimitedForMs } = state;
  const done = tally.sent + tally.replayed + tally.failed;
  const width = 24;
  const parts: string[] = [];
  if (total !== undefined) {
    const filled = total === 0 ? width : Math.min(width, Math.round((done / total) * width));
    parts.push(`${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${done}/${total}`);
  } else parts.push(`${done} done`);
  parts.push(`sent ${tally.sent}  replayed ${tally.replayed}  failed ${tally.failed}`);
  const rate = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0;
  if (done > 0) parts.push(`${rate >= 10 ? Math.round(rate) : rate.toFixed(1)}/s`);
  if (rateLimitedForMs > 0) parts.push(`rate limited, resuming in ${Math.ceil(rateLimitedForMs / 1000)} s`);
  else if (total !== undefined && done > 0 && done < total && rate > 0) parts.push(`ETA ${formatDuration((total - done) / rate)}`);
  return parts.join('  ');
}

/**
 * A one-line progress display redrawn in place on a terminal (stderr, so stdout stays clean):
 * done/total, rate, ETA, and, while the API has asked us to wait (429), a countdown to when
 * sending resumes, so a long wait never looks like a hang. Redraws are throttled, except the
 * once-a-second tick that keeps the countdown moving.
 */
export class ProgressBar {
  readonly #started: number;
  #lastDraw = 0;
  #tally: Tally = { sent: 0, replayed: 0, failed: 0 };
  #resumeAt = 0;
  #ticker: NodeJS.Timeout | undefined;
  #drawn = false;

  /**
   * @param total lines to send, when known (a file); unknown for stdin (no bar, no ETA)
   * @param stream the terminal
   * @param now clock, for tests
   */
  constructor(
    private readonly total: number | undefined,
    private readonly stream: NodeJS.WritableStream = process.stderr,
    private readonly now: () => number = Date.now,
  ) {
    this.#started = now();
  }

  /** Redraws with the current tally (at most every 50 ms unless `force`). */
  update(tally: Tally, force = false): void {
    this.#tally = { ...tally };
    const now = this.now();
    if (!force && now - this.#lastDraw < 50) return;
    this.#draw(now);
  }

  /** Shows "rate limited, resuming in N s" until `delayMs` from now, ticking every second. */
  rateLimited(delayMs: number): void {
    const until = this.now() + delayMs;
    if (until <= this.#resumeAt) return;
    this.#resumeAt = until;
    this.#ticker ??= setInterval(() => {
      if (this.now() >= this.#resumeAt) this.#stopTicker();
      this.#draw(this.now());
    }, 1000).unref();
    this.#draw(this.now());
  }

  /** Erases the line, so that other output can be written; the next update redraws it. */
  clear(): void {
    if (this.#drawn) this.stream.write('\r\x1b[2K');
    this.#drawn = false;
  }

  /** Draws the final state and ends the line. */
  finish(tally: Tally): void {
    this.#stopTicker();
    this.#resumeAt = 0;
    this.update(tally, true);
    this.stream.write('\n');
    this.#drawn = false;
  }

  #stopTicker(): void {
    if (this.#ticker) clearInterval(this.#ticker);
    this.#ticker = undefined;
  }

  #draw(now: number): void {
    this.#lastDraw = now;
    this.#drawn = true;
    const text = progressText({ tally: this.#tally, total: this.total, elapsedMs: now - this.#started, rateLimitedForMs: Math.max(0, this.#resumeAt - now) });
    this.stream.write(`\r\x1b[2K${text}`);
  }
}
