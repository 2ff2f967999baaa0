import type { Command } from 'commander';

/**
 * Returns the noun command (`keys`, `lead`, ...) under `program`, creating it once, so that
 * each verb file can register itself without knowing about its siblings.
 */
export function noun(program: Command, name: string, description: string): Command {
  const existing = program.commands.find((c) => c.name() === name);
  return existing ?? program.command(name).description(description);
}
