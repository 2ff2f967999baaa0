/**
 * What happens when the reader of our stdout goes away (`careos ... | head -1`).
 *
 * For most commands that is the reader's choice: the output they wanted has been printed, so
 * the process exits quietly with its current code, as `git log | head` does. A command that does
 * work beyond printing (a bulk send) registers a watcher instead: it is told the output closed,
 * the process keeps running, and the command decides how to end without losing work.
 */
const watchers = new Set<() => void>();
let stdoutClosed = false;

/** Whether stdout's reader has gone away during this run. */
export function isStdoutClosed(): boolean {
  return stdoutClosed;
}

/**
 * Calls `listener` once if stdout's reader goes away, instead of exiting. Returns a function
 * that removes the watcher (the quiet exit applies again once no watcher is left).
 */
export function watchStdoutClosed(listener: () => void): () => void {
  watchers.add(listener);
  return () => watchers.delete(listener);
}

/**
 * The `error` handler `careos` installs on stdout and stderr. A broken pipe (`EPIPE`) on stdout
 * notifies the watchers when there are any, and otherwise exits with the current exit code;
 * a broken stderr never ends a command that is still working. Any other error is rethrown.
 */
export function handleOutputError(stream: 'stdout' | 'stderr', error: NodeJS.ErrnoException, exit: (code: number) => void = (code) => process.exit(code)): void {
  if (error.code !== 'EPIPE') throw error;
  if (watchers.size === 0) {
    exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    return;
  }
  if (stream === 'stdout' && !stdoutClosed) {
    stdoutClosed = true;
    for (const listener of [...watchers]) listener();
  }
}
