/** Counts shown while a bulk run is going. */
export interface Tally {
  sent: number;
  replayed: number;
  failed: number;
}

/**
 * A one-line progress bar redrawn in place on a terminal (stderr, so stdout stays clean).
 * Redraws are throttled: a fast run must not spend its time painting.
 */
export class ProgressBar {
  #lastDraw = 0;
  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** Redraws with the current tally (at most every 50 ms unless `force`). */
  update(tally: Tally, force = false): void {
    const now = Date.now();
    if (!force && now - this.#lastDraw < 50) return;
    this.#lastDraw = now;
    const done = tally.sent + tally.replayed + tally.failed;
    const width = 30;
    const filled = this.total === 0 ? width : Math.round((done / this.total) * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    this.stream.write(`\r${bar} ${done}/${this.total}  sent ${tally.sent}  replayed ${tally.replayed}  failed ${tally.failed}`);
  }

  /** Ends the progress line. */
  finish(tally: Tally): void {
    this.update(tally, true);
    this.stream.write('\n');
  }
}
