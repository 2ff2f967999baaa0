import { CliError, ExitCode } from './exit-codes.js';

/** Request headers as the verifier takes them: lower-cased names, repeated headers as arrays. */
export type HeaderMap = Record<string, string | string[]>;

function add(headers: HeaderMap, name: string, value: string): void {
  const key = name.trim().toLowerCase();
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(key)) throw new CliError(`Not a header name: "${name.trim()}"`, ExitCode.USAGE);
  const existing = headers[key];
  headers[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
}

/** One `Name: value` line, as `--header` takes it. */
export function parseHeaderLine(line: string): [string, string] {
  const colon = line.indexOf(':');
  if (colon <= 0) throw new CliError(`--header must be "name: value", not "${line}"`, ExitCode.USAGE);
  return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
}

/**
 * Headers from a file: a JSON object (`{"webhook-id": "…"}`, arrays for repeated headers), or
 * raw HTTP header lines as a capture, `curl -v` or a proxy log shows them. A leading request or
 * status line is skipped, folded continuation lines are joined, and the first blank line ends the
 * headers (what follows is the body, which `--body` supplies).
 */
export function parseHeadersFile(text: string, path: string): HeaderMap {
  const headers: HeaderMap = {};
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new CliError(`${path} looks like JSON but does not parse: ${(error as Error).message}`, ExitCode.USAGE);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CliError(`${path} must hold a JSON object of header names to values`, ExitCode.USAGE);
    for (const [name, value] of Object.entries(parsed)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (typeof item !== 'string' && typeof item !== 'number') throw new CliError(`${path}: the value of "${name}" must be a string or a list of strings`, ExitCode.USAGE);
        add(headers, name, String(item));
      }
    }
    return headers;
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let start = 0;
  while (start < lines.length && lines[start]!.trim() === '') start++;
  // "POST /webhooks HTTP/1.1" or "HTTP/1.1 200 OK": not a header.
  if (/^([A-Z]+ \S+ HTTP\/\d(\.\d)?|HTTP\/\d(\.\d)? \d{3})/.test(lines[start] ?? '')) start++;
  const entries: [string, string][] = [];
  for (const line of lines.slice(start)) {
    if (line.trim() === '') break;
    if (/^[ \t]/.test(line) && entries.length > 0) {
      entries[entries.length - 1]![1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new CliError(`${path}: not a header line: "${line}"`, ExitCode.USAGE);
    entries.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  for (const [name, value] of entries) add(headers, name, value);
  return headers;
}

/**
 * Headers of the file, then of each `--header`; a name given with `--header` replaces the
 * file's value, so one header of a capture can be corrected without editing it.
 */
export function mergeHeaders(fromFile: HeaderMap, lines: readonly string[]): HeaderMap {
  const fromFlags: HeaderMap = {};
  for (const line of lines) add(fromFlags, ...parseHeaderLine(line));
  return { ...fromFile, ...fromFlags };
}
