import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { type Command, Option } from 'commander';
import { CliError, ExitCode } from './exit-codes.js';

/**
 * Adds `--env <file>` (a dotenv file of settings) to a command, and `--env-file <file>` as a
 * hidden older spelling. Node itself reads `--env-file` wherever it appears on the command
 * line, even after the script name, and exits 9 with `node: <file>: not found` before the CLI
 * runs when the file is missing; `--env` never reaches Node, so a missing file gets the CLI's
 * own message and exit code 2.
 */
export function addEnvFileOption(command: Command, description: string): Command {
  return command.option('--env <file>', description).addOption(olderEnvFileOption());
}

/** `--env-file <file>`, hidden: the older spelling of `--env` (see {@link addEnvFileOption}). */
export function olderEnvFileOption(): Option {
  return new Option('--env-file <file>', 'older spelling of --env').hideHelp();
}

let warnedOldSpelling = false;

/** The dotenv file the options name (`--env`, or the older `--env-file`), if any. */
export function envFileOption(options: { env?: unknown; envFile?: unknown }): string | undefined {
  if (typeof options.env === 'string') return options.env;
  if (typeof options.envFile !== 'string') return undefined;
  if (!warnedOldSpelling) {
    warnedOldSpelling = true;
    process.stderr.write('careos: --env-file is now --env (Node reads --env-file itself and stops with exit 9 when the file is missing)\n');
  }
  return options.envFile;
}

/** The variables of the dotenv file the options name (see {@link envFileOption}), or none. */
export function readEnvFileOption(options: { env?: unknown; envFile?: unknown }): Record<string, string> {
  const path = envFileOption(options);
  return path === undefined ? {} : readEnvFile(path);
}

/**
 * Reads a dotenv file (the format `careos keys generate` writes). Values keep the seed's
 * one-line `\n`-escaped PEM form or real newlines; consumers unescape PEMs themselves.
 */
export function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new CliError(`Cannot read the env file ${path}: ${reason}`, ExitCode.USAGE);
  }
  return parseEnv(text) as Record<string, string>;
}

/**
 * Serialises variables as a dotenv file; multi-line values (PEMs) become the seed's one-line
 * `\n`-escaped form. Dotenv parsers (Node's included) expand only `\n` inside double quotes,
 * so a value with a quote or backslash could not round-trip and is refused.
 */
export function renderEnvFile(header: readonly string[], vars: Readonly<Record<string, string>>): string {
  const lines = header.map((line) => `# ${line}`);
  for (const [name, value] of Object.entries(vars)) {
    if (/["\\]/.test(value)) throw new Error(`${name} contains a quote or backslash and cannot be written to a .env file`);
    const needsQuotes = /[\s'#=]/.test(value);
    lines.push(`${name}=${needsQuotes ? `"${value.replace(/\r?\n/g, '\\n')}"` : value}`);
  }
  return `${lines.join('\n')}\n`;
}
