import { createRequire } from 'node:module';
import { Command } from 'commander';
import { register as registerKeysGenerate } from './commands/keys/generate.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** Every command, noun/verb, one file each (`src/commands/<noun>/<verb>.ts`). */
const commands: ((program: Command) => void)[] = [registerKeysGenerate];

/** Builds the `careos` program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('careos')
    .description('The CareOS command line: partner keys, leads, payments, a local reference server and a demo.')
    .version(version, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      [
        '',
        'Settings resolve the same way for every command: flag > --env-file > environment > stored profile.',
        'Exit codes: 0 ok, 1 failure, 2 usage, 3 API error (4xx), 4 API unreachable or 5xx, 5 partial bulk failure, 130 interrupted.',
        'NO_COLOR disables colour.',
      ].join('\n'),
    );
  for (const register of commands) register(program);
  return program;
}
