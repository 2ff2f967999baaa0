import { chmod, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Makes `dir` and everything in it private to the owner: directories 0700, files 0600
 * (symbolic links are left alone). PGlite unpacks its initial database with the archive's
 * modes (0666) and writes its relation-cache files 0644, whatever the process umask, so the
 * modes are set after it opens the directory and again after it closes; files PostgreSQL
 * creates while running (WAL segments, new relations) are created 0600 by PostgreSQL itself.
 *
 * @returns how many entries had their mode changed.
 */
export async function restrictDataDir(dir: string): Promise<number> {
  let changed = 0;
  const fix = async (path: string, isDir: boolean, mode: number) => {
    const wanted = isDir ? 0o700 : 0o600;
    if ((mode & 0o777) === wanted) return;
    await chmod(path, wanted);
    changed++;
  };
  const walk = async (path: string): Promise<void> => {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isSymbolicLink()) continue;
      try {
        await fix(child, entry.isDirectory(), (await lstat(child)).mode);
        if (entry.isDirectory()) await walk(child);
      } catch (error) {
        // PostgreSQL removes temporary files as it goes: one gone meanwhile needs no mode.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  };
  try {
    await fix(dir, true, (await lstat(dir)).mode);
  } catch (error) {
    // Removed after closing (a test's temporary directory): nothing left to protect.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  await walk(dir);
  return changed;
}
