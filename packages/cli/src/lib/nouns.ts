import type { Command } from 'commander';

/**
 * Returns the noun command (`keys`, `lead`, ...) under `program`, creating it once, so that
 * each verb file can register itself without knowing about its siblings. `aliases` are other
 * names of the noun (`leads` for `lead`), added once whichever verb registers first.
 */
export function noun(program: Command, name: string, description: string, aliases: readonly string[] = []): Command {
  const existing = program.commands.find((c) => c.name() === name);
  const command = existing ?? program.command(name).description(description);
  for (const alias of aliases) if (!command.aliases().includes(alias)) command.alias(alias);
  return command;
}
