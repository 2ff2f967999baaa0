import type { Command } from 'commander';

/**
 * Returns the top-level command `name` (`keys`, `lead`, `demo`, ...) under `program`: the one
 * `buildProgram` created from the command manifest (`src/commands/manifest.ts`), which holds its
 * description. Each verb file registers itself under it without knowing about its siblings.
 *
 * @param _description ignored: the manifest's description is the one shown (kept so that older
 *   call sites still compile)
 */
export function noun(program: Command, name: string, _description?: string): Command {
  const existing = program.commands.find((c) => c.name() === name);
  if (!existing) throw new Error(`careos: "${name}" is not in src/commands/manifest.ts; add it there`);
  return existing;
}
