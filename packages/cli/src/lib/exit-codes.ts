/**
 * Exit codes of `careos`, documented in the README so scripts can branch on them.
 */
export const ExitCode = {
  /** Everything worked. */
  OK: 0,
  /** An unexpected failure. */
  FAILURE: 1,
  /** Bad usage: unknown command, invalid or missing options. */
  USAGE: 2,
  /** The API answered with an error (4xx), e.g. invalid key or validation. */
  API_ERROR: 3,
  /** The API could not be reached or failed (connection error, timeout, 5xx). */
  UNAVAILABLE: 4,
  /** A bulk run finished but some items failed (see the failures file). */
  PARTIAL: 5,
  /**
   * The command needs an optional package that is not installed: `careos server …` and
   * `careos demo` need `@careos/server-reference` (the message says how to add it).
   */
  NOT_INSTALLED: 6,
  /** Interrupted (Ctrl-C). */
  INTERRUPTED: 130,
  /**
   * A bulk run stopped because its stdout was closed (`| head`): what was not sent is in the
   * failures file. 141 is what a shell reports for a process ended by SIGPIPE.
   */
  OUTPUT_CLOSED: 141,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI reports as one clear line (plus an optional hint) and a given exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.FAILURE,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/**
 * Ends a command with a non-zero exit code after it has printed its own report (e.g. a bulk
 * summary with failures): nothing more is written.
 */
export class ExitStatus extends Error {
  override readonly name = 'ExitStatus';
  constructor(readonly exitCode: ExitCode) {
    super(`exit ${exitCode}`);
  }
}
