import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError, ExitCode } from './exit-codes.js';

/** Settings a profile may hold; the same names as the connection settings. */
export type ProfileValues = Partial<Record<string, string>>;

interface ConfigFile {
  profiles?: Record<string, ProfileValues>;
}

/** The CLI's config directory: `CAREOS_CONFIG_DIR`, else `$XDG_CONFIG_HOME/careos`, else `~/.config/careos`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CAREOS_CONFIG_DIR) return env.CAREOS_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'careos');
}

/** Name of the profile in use: `--profile`, else `CAREOS_PROFILE`, else `default`. */
export function profileName(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env.CAREOS_PROFILE || 'default';
}

/** Path of config.json, which holds the profiles' non-secret values. */
export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'config.json');
}

function readConfig(env: NodeJS.ProcessEnv): ConfigFile {
  let text: string;
  try {
    text = readFileSync(configFilePath(env), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    return JSON.parse(text) as ConfigFile;
  } catch {
    throw new CliError(`The config file ${configFilePath(env)} is not valid JSON`, ExitCode.USAGE, 'Fix or delete it.');
  }
}

/** Reads one stored profile (empty when absent). */
export function readProfile(name: string, env: NodeJS.ProcessEnv = process.env): ProfileValues {
  return readConfig(env).profiles?.[name] ?? {};
}

/** Merges values into a stored profile; the file is created with mode 0600. */
export function writeProfile(name: string, values: ProfileValues, env: NodeJS.ProcessEnv = process.env): void {
  const config = readConfig(env);
  config.profiles = { ...config.profiles, [name]: { ...config.profiles?.[name], ...values } };
  mkdirSync(configDir(env), { recursive: true, mode: 0o700 });
  writeFileSync(configFilePath(env), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(configFilePath(env), 0o600);
}

/** Deletes a stored profile; returns the names of the values it held (empty when there was none). */
export function removeProfile(name: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const config = readConfig(env);
  const values = config.profiles?.[name];
  if (!values) return [];
  delete config.profiles![name];
  writeFileSync(configFilePath(env), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(configFilePath(env), 0o600);
  return Object.keys(values);
}
