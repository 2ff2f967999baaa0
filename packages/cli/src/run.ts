import { type Command, CommanderError } from 'commander';
import { APIConnectionError, APIError, RequestValidationError } from '@careos/sdk';
import { CliError, ExitCode, ExitStatus } from './lib/exit-codes.js';
import { buildProgram } from './program.js';

/** Maps any failure to a one-line message and an exit code. */
export function describeFailure(error: unknown): { message: string; exitCode: number; hint?: string } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode, ...(error.hint ? { hint: error.hint } : {}) };
  if (error instanceof APIError) {
    const details = error.details?.length ? ` (${error.details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ')})` : '';
    const id = error.requestId ? ` [request ${error.requestId}]` : '';
    return { message: `${error.message}${details}${id}`, exitCode: error.status >= 500 ? ExitCode.UNAVAILABLE : ExitCode.API_ERROR };
  }
  if (error instanceof APIConnectionError) return { message: error.message, exitCode: ExitCode.UNAVAILABLE };
  if (error instanceof RequestValidationError) return { message: error.message, exitCode: ExitCode.USAGE };
  if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) return { message: 'Cancelled', exitCode: ExitCode.INTERRUPTED };
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
    if (error instanceof ExitStatus) return error.exitCode;
    const failure = describeFailure(error);
    process.stderr.write(`careos: ${failure.message}\n`);
    if (failure.hint) process.stderr.write(`${failure.hint}\n`);
    return failure.exitCode;
  }
}
