import { CliError, ExitCode } from './exit-codes.js';
import { readStdin } from './stdin.js';

/** The text of `--body`: as given, or stdin for `-`. Missing or blank is a usage error (exit 2). */
export async function messageText(body: string | undefined): Promise<string> {
  const text = body === '-' ? (await readStdin()).replace(/\r?\n$/, '') : body;
  if (text === undefined || text.trim() === '') throw new CliError('Give the text with --body <text> (or --body - to read stdin)', ExitCode.USAGE);
  return text;
}
