import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where drizzle's migrator keeps its bookkeeping: our one schema, under a name of ours. */
export const MIGRATIONS = { migrationsSchema: 'public', migrationsTable: 'careos_migrations' } as const;

/** Session-level advisory lock key that serialises migrations across concurrently starting instances. */
export const MIGRATION_LOCK_KEY = 727_274_001;

let cached: string | undefined;

/**
 * The `drizzle/` folder shipped with the package. Found by walking up from this module so it
 * works from `src/` (tests), from the bundled `dist/` and from an installed package.
 */
export function migrationsFolder(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'drizzle');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return (cached = candidate);
    dir = dirname(dir);
  }
  throw new Error('The drizzle/ migrations folder of @careos/server-reference is missing');
}
