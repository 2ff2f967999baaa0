import { rm } from 'node:fs/promises';
import { masterKeyFileFor } from '../../src/crypto/master-key-file.js';

/**
 * Removes a test's embedded data directory and the development master key file the server
 * writes beside it (`<dir>.master.key`), which removing the directory alone leaves behind.
 */
export async function removeDataDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await rm(masterKeyFileFor(dir), { force: true });
}
