import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { CliError, ExitCode } from './exit-codes.js';

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
    throw new CliError(`Cannot read env file ${path}: ${reason}`, ExitCode.USAGE);
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
