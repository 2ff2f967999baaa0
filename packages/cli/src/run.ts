import { type Command, CommanderError } from 'commander';
import { ExitCode, ExitStatus } from './lib/exit-codes.js';
import { buildProgram, envOptionLast } from './program.js';

/**
 * Runs `careos` with the given arguments and returns the exit code. Never calls
 * `process.exit`, so it can be embedded and tested.
 */
export async function run(given: readonly string[]): Promise<number> {
  const argv = envOptionLast(given);
  const program = await buildProgram(argv);
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
    // Loaded only on failure: it knows the SDK's error classes, and the SDK is not loaded for `--help`.
    const { describeFailure } = await import('./lib/failure.js');
    const failure = describeFailure(error);
    process.stderr.write(`careos: ${failure.message}\n`);
    if (failure.hint) process.stderr.write(`${failure.hint}\n`);
    return failure.exitCode;
  }
}
