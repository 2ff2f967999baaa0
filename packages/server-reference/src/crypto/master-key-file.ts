import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LocalMasterKey } from './master-key.js';

/**
 * The key file of an embedded data directory: `<data-dir>.master.key`, beside the directory
 * rather than in it, so that a copy or dump of the database files (PGlite's `dumpDataDir`, a
 * tarball of the directory) does not carry the key that opens them.
 */
export function masterKeyFileFor(dataDir: string): string {
  return `${resolve(dataDir)}.master.key`;
}

/** Reads a key file (base64 of 32 bytes). */
export async function readMasterKeyFile(path: string): Promise<LocalMasterKey> {
  return LocalMasterKey.fromBase64(await readFile(path, 'utf8'), `the key file ${path}`);
}

/**
 * The key in `path`, generating it first (0600, in a directory created 0700) when the file does
 * not exist. Two processes creating it at once agree: the exclusive create lets one win and the
 * other reads the winner's key.
 */
export async function ensureMasterKeyFile(path: string): Promise<{ key: LocalMasterKey; created: boolean }> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const key = LocalMasterKey.generate(`the key file ${path}`);
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { key: await readMasterKeyFile(path), created: false };
  }
  try {
    await handle.writeFile(`${key.toBase64()}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { key, created: true };
}

/**
 * Replaces the key in `path` with `key` atomically (write a 0600 file beside it, then rename),
 * so a crash leaves either the old key or the new one, never half a key.
 */
export async function replaceMasterKeyFile(path: string, key: LocalMasterKey): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${key.toBase64()}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(temporary, 0o600);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
