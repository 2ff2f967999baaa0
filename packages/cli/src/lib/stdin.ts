/** Reads a stream (stdin by default) to its end as UTF-8 text. */
export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A secret read from stdin (`printf %s "$KEY" | careos auth login --with-token`): the whole
 * input without its trailing newline. Empty input is refused rather than stored.
 */
export async function readSecretFromStdin(what: string, stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const value = (await readStdin(stream)).replace(/\r?\n$/, '');
  if (value.trim() === '') throw new Error(`No ${what} on stdin`);
  return value;
}
