import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { BulkItem } from './bulk-send.js';
import { CliError, ExitCode } from './exit-codes.js';

/** A line-oriented input: a file, or stdin for `-`. */
export interface LineInput {
  /** The non-blank lines with their 1-based line numbers, read as they are consumed (never whole). */
  items: AsyncIterable<BulkItem>;
  /** The number of non-blank lines, counted in a streaming pass, when the input is a file. */
  count(): Promise<number | undefined>;
}

/**
 * Opens `path` for reading one record per line (`-` is stdin). Fails with exit 2 when the file
 * cannot be opened, before anything is sent.
 */
export async function openLineInput(path: string, stdin: Readable = process.stdin): Promise<LineInput> {
  if (path === '-') return { items: linesOf(stdin), count: async () => undefined };
  try {
    await (await open(path, 'r')).close();
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new CliError(`Cannot read ${path}: ${reason}`, ExitCode.USAGE);
  }
  const stream = async () => (await open(path, 'r')).createReadStream({ encoding: 'utf8' });
  return {
    items: (async function* () {
      yield* linesOf(await stream());
    })(),
    async count() {
      let n = 0;
      for await (const _ of linesOf(await stream())) n++;
      return n;
    },
  };
}

/** The non-blank lines of a stream; readline pauses the stream while lines wait to be consumed. */
async function* linesOf(input: Readable): AsyncGenerator<BulkItem> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const raw of lines) {
    line++;
    if (raw.trim() !== '') yield { line, raw };
  }
}
