import { redact, redactString } from './redact.js';

/** Log levels, most verbose first; `off` logs nothing. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

/** Extra structured fields of a log line. */
export type LogFields = Record<string, unknown>;

/**
 * Anything with these four methods: `console`, pino, winston and bunyan loggers all fit.
 * The SDK calls them with a message and, sometimes, a fields object.
 */
export interface Logger {
  /** Each request and response line. */
  debug(message: string, fields?: LogFields): void;
  /** Token refreshes. */
  info(message: string, fields?: LogFields): void;
  /** Failed attempts that will be retried; failed background refreshes. */
  warn(message: string, fields?: LogFields): void;
  /** Calls that failed for good. */
  error(message: string, fields?: LogFields): void;
}

const RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40, off: Infinity };

/** Whether `value` names a {@link LogLevel}. */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.hasOwn(RANK, value);
}

/** Writes `careos <level> <message> <fields as JSON>` lines to stderr, keeping stdout for program output. */
const stderrLogger: Logger = {
  debug: (message, fields) => writeLine('debug', message, fields),
  info: (message, fields) => writeLine('info', message, fields),
  warn: (message, fields) => writeLine('warn', message, fields),
  error: (message, fields) => writeLine('error', message, fields),
};

function writeLine(level: LogLevel, message: string, fields?: LogFields): void {
  process.stderr.write(`careos ${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
}

/**
 * The logger the core uses: filters by level before doing any work, and passes every
 * message and field through the redactor, so no caller-supplied logger can receive an API
 * key, token, password, salt, phone number or ciphertext.
 */
export class SafeLogger {
  readonly #sink: Logger;
  readonly #threshold: number;

  /**
   * @param sink where lines go
   * @param level lowest level passed on
   */
  constructor(sink: Logger, level: LogLevel) {
    this.#sink = sink;
    this.#threshold = RANK[level];
  }

  /** Whether `level` would be logged; lets callers skip building fields. */
  enabled(level: Exclude<LogLevel, 'off'>): boolean {
    return RANK[level] >= this.#threshold;
  }

  /** Logs at debug level. */
  debug(message: string, fields?: LogFields): void {
    this.#emit('debug', message, fields);
  }
  /** Logs at info level. */
  info(message: string, fields?: LogFields): void {
    this.#emit('info', message, fields);
  }
  /** Logs at warn level. */
  warn(message: string, fields?: LogFields): void {
    this.#emit('warn', message, fields);
  }
  /** Logs at error level. */
  error(message: string, fields?: LogFields): void {
    this.#emit('error', message, fields);
  }

  #emit(level: Exclude<LogLevel, 'off'>, message: string, fields?: LogFields): void {
    if (RANK[level] < this.#threshold) return;
    try {
      const safeMessage = redactString(message);
      if (fields === undefined) this.#sink[level](safeMessage);
      else this.#sink[level](safeMessage, redact(fields) as LogFields);
    } catch {
      // A broken logger must never break a request.
    }
  }
}

/**
 * Builds the core's logger from the `logger` / `logLevel` options: a level name logs to
 * stderr at that level; a logger object gets everything at `logLevel` (default `debug`,
 * leaving filtering to it) and above.
 */
export function createLogger(option: Logger | LogLevel | undefined, logLevel: LogLevel | undefined): SafeLogger {
  if (option === undefined || typeof option === 'string') {
    const level = option ?? 'off';
    return new SafeLogger(stderrLogger, level);
  }
  return new SafeLogger(option, logLevel ?? 'debug');
}
