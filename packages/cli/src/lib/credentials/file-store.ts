import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, ExitCode } from '../exit-codes.js';
import { configDir } from '../profiles.js';

/** Secrets per profile, as kept in credentials.json. */
type CredentialsFile = { profiles?: Record<string, Record<string, string>> };

/** Path of the fallback secrets file: `credentials.json` in the config dir. */
export function credentialsFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'credentials.json');
}

function read(env: NodeJS.ProcessEnv): CredentialsFile {
  const path = credentialsFilePath(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    return JSON.parse(text) as CredentialsFile;
  } catch {
    throw new CliError(`The credentials file ${path} is not valid JSON`, ExitCode.USAGE, 'Delete it and run `careos auth login` again.');
  }
}

/**
 * Writes the whole file: owner-only (0600) in an owner-only directory (0700 when we create
 * it), through a temporary file and a rename so a crash never leaves half a file of secrets.
 * An empty file is removed rather than kept.
 */
function write(file: CredentialsFile, env: NodeJS.ProcessEnv): void {
  const path = credentialsFilePath(env);
  if (Object.keys(file.profiles ?? {}).length === 0) {
    rmSync(path, { force: true });
    return;
  }
  mkdirSync(configDir(env), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  // The mode given to writeFileSync is filtered by the umask; make it exact.
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

/** One stored secret of a profile from the file, if there. */
export function readFileSecret(profile: string, name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = read(env).profiles?.[profile]?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Merges secrets into a profile in the file. */
export function writeFileSecrets(profile: string, values: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv = process.env): void {
  const file = read(env);
  file.profiles = { ...file.profiles, [profile]: { ...file.profiles?.[profile], ...values } };
  write(file, env);
}

/** Removes secrets of a profile from the file; returns the names that were there. */
export function deleteFileSecrets(profile: string, names: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const file = read(env);
  const secrets = file.profiles?.[profile];
  if (!secrets) return [];
  const removed = names.filter((name) => name in secrets);
  if (removed.length === 0) return [];
  for (const name of removed) delete secrets[name];
  if (Object.keys(secrets).length === 0) delete file.profiles![profile];
  write(file, env);
  return removed;
}
