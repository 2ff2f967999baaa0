import { type Command, CommanderError } from 'commander';
import { CliError, ExitCode } from './lib/exit-codes.js';
import { buildProgram } from './program.js';

/** Shape of SDK errors the CLI reports (kept structural so the CLI never misreads one). */
interface ApiLikeError {
  name: string;
  message: string;
  status?: number;
  code?: string;
  requestId?: string;
}

/** Maps any failure to a one-line message and an exit code. */
export function describeFailure(error: unknown): { message: string; exitCode: number; hint?: string } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode, ...(error.hint ? { hint: error.hint } : {}) };
  const e = error as ApiLikeError;
  if (e && typeof e === 'object' && typeof e.name === 'string') {
    if (e.name === 'ExitPromptError' || e.name === 'AbortPromptError') return { message: 'Cancelled', exitCode: ExitCode.INTERRUPTED };
    if (typeof e.status === 'number') {
      const id = e.requestId ? ` (request ${e.requestId})` : '';
      return { message: `${e.message}${id}`, exitCode: e.status >= 500 ? ExitCode.UNAVAILABLE : ExitCode.API_ERROR };
    }
    if (e.name === 'APIConnectionError' || e.name === 'APITimeoutError') return { message: e.message, exitCode: ExitCode.UNAVAILABLE };
  }
  return { message: error instanceof Error ? error.message : String(error), exitCode: ExitCode.FAILURE };
}

/**
 * Runs `careos` with the given arguments and returns the exit code. Never calls
 * `process.exit`, so it can be embedded and tested.
 */
export async function run(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  // Commander would call process.exit on usage errors; every level of the tree must throw instead.
  const override = (command: Command): void => {
    command.exitOverride();
    command.commands.forEach(override);
  };
  override(program);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return ExitCode.OK;
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    const failure = describeFailure(error);
    process.stderr.write(`careos: ${failure.message}\n`);
    if (failure.hint) process.stderr.write(`${failure.hint}\n`);
    return failure.exitCode;
  }
}
