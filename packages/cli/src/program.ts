import { createRequire } from 'node:module';
import { Command } from 'commander';
import { MANIFEST, type ManifestEntry } from './commands/manifest.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/**
 * Builds the `careos` program: every top-level command listed from the manifest, and the code of
 * those `argv` names loaded and registered (every command's when `argv` is not given, e.g. to
 * walk the whole tree). `careos --help` and `--version` thus load no command at all.
 */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command('careos')
    .description('The CareOS command line: credentials, partner keys, leads, payments, the audit trail, the therapist-integration API, webhooks, a local reference server and a demo.')
    .version(version, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      [
        '',
        'Settings resolve the same way for every command: flag > --env > environment > stored profile.',
        'Store a profile with `careos auth login`: secrets go to the OS keychain, or a 0600 credentials.json with a warning',
        'when there is none (CAREOS_CREDENTIAL_STORE=auto|keychain|file).',
        'Exit codes: 0 ok, 1 failure, 2 usage, 3 API error (4xx), 4 API unreachable or 5xx, 5 partial bulk failure, 6 server package not installed, 130 interrupted, 141 bulk send stopped because stdout closed (unsent leads in the failures file).',
        '`careos webhooks verify` exits 1 when the delivery is invalid; `careos webhooks listen` exits 0 when stopped.',
        '`careos lookup` exits 1 when no case has the number.',
        '`careos audit verify` exits 1 when the audit chain is broken.',
        'NO_COLOR disables colour. CAREOS_LOG=debug|info|warn|error logs API requests on stderr (secrets redacted).',
        'Shell completion: careos completion bash|zsh|fish.',
      ].join('\n'),
    );
  for (const entry of MANIFEST) program.command(entry.name).description(entry.description).aliases(entry.aliases ?? []);
  const word = argv === undefined ? undefined : commandWord(argv);
  const wanted = argv === undefined ? MANIFEST : MANIFEST.filter((entry) => entry.name === word || entry.aliases?.includes(word ?? ''));
  await loadEntries(program, wanted);
  return program;
}

/**
 * Moves an `--env <file>` (or its older spelling `--env-file`) given before the command to the
 * command's options: `careos --env partner.env lead list` is `careos lead list --env partner.env`.
 * `--env` belongs to each command that resolves settings, not to `careos` itself, but it reads
 * naturally first; a command without it then says `unknown option '--env'`. The option goes
 * before a `--`, after which everything is an argument.
 */
export function envOptionLast(argv: readonly string[]): string[] {
  const leading: string[] = [];
  let i = 0;
  while (i < argv.length && /^--env(-file)?(=|$)/.test(argv[i]!)) {
    const takesNext = !argv[i]!.includes('=') && i + 1 < argv.length;
    leading.push(...argv.slice(i, takesNext ? i + 2 : i + 1));
    i += takesNext ? 2 : 1;
  }
  if (leading.length === 0) return [...argv];
  const rest = argv.slice(i);
  const end = rest.indexOf('--');
  return end === -1 ? [...rest, ...leading] : [...rest.slice(0, end), ...leading, ...rest.slice(end)];
}

/**
 * The top-level command an argument list names: its first word that is not an option, or the
 * one after `help` (`careos help lead`).
 */
export function commandWord(argv: readonly string[]): string | undefined {
  const words = argv.filter((arg) => !arg.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

/** Loads the files of these manifest entries in parallel, then registers them in manifest order. */
async function loadEntries(program: Command, entries: readonly ManifestEntry[]): Promise<void> {
  const modules = await Promise.all(entries.map((entry) => Promise.all(entry.load.map((load) => load()))));
  for (const loaded of modules) for (const module of loaded) module.register(program);
}
