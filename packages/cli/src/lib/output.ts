import { Chalk, type ChalkInstance } from 'chalk';

/** Where a command writes, and how. */
export interface Output {
  /** Colours; a no-op instance when colour is off (NO_COLOR, `--no-color`, or not a TTY). */
  readonly color: ChalkInstance;
  /** True when `--json` was given: print one JSON document on stdout and nothing else there. */
  readonly jsonMode: boolean;
  /** Prints data: JSON in `--json` mode, otherwise the human rendering. */
  data(value: unknown, human: () => string): void;
  /** A human line on stdout (suppressed in `--json` mode). */
  line(text?: string): void;
  /** A line on stderr (warnings, progress notes); never pollutes stdout. */
  note(text: string): void;
  /** A warning on stderr. */
  warn(text: string): void;
}

/** Options of {@link createOutput}. */
export interface OutputOptions {
  json?: boolean;
  color?: boolean;
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

/** Builds the {@link Output} for one command run. Honours `NO_COLOR` and `FORCE_COLOR`. */
export function createOutput(options: OutputOptions = {}): Output {
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const colorAllowed =
    options.color !== false && !('NO_COLOR' in env && env.NO_COLOR !== '') && (Boolean(stdout.isTTY) || Boolean(env.FORCE_COLOR));
  const color = new Chalk({ level: colorAllowed ? 1 : 0 });
  const jsonMode = options.json === true;
  return {
    color,
    jsonMode,
    data(value, human) {
      stdout.write(jsonMode ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
    },
    line(text = '') {
      if (!jsonMode) stdout.write(`${text}\n`);
    },
    note(text) {
      stderr.write(`${text}\n`);
    },
    warn(text) {
      stderr.write(`${color.yellow('warning:')} ${text}\n`);
    },
  };
}

/** Renders `label: value` pairs aligned, for human output. */
export function keyValues(color: ChalkInstance, pairs: readonly (readonly [string, unknown])[]): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs
    .map(([label, value]) => `${color.dim(label.padEnd(width))}  ${value === null || value === undefined ? color.dim('—') : String(value)}`)
    .join('\n');
}

/**
 * Renders rows as aligned columns under a dimmed header. Cells are plain text (padding is
 * measured on them); `null` and `undefined` show as a dash, so an absent value is never mistaken
 * for an empty one.
 */
export function table(color: ChalkInstance, headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const text = rows.map((row) => headers.map((_, i) => (row[i] === null || row[i] === undefined ? '—' : String(row[i]))));
  const widths = headers.map((header, i) => Math.max(header.length, ...text.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [color.dim(line(headers)), ...text.map(line)].join('\n');
}
