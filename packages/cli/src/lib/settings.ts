import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { readEnvFile } from './env-file.js';
import { CliError, ExitCode } from './exit-codes.js';
import { readProfile, profileName } from './profiles.js';

/**
 * Connection settings every command resolves the same way. Precedence, highest first:
 * command-line flag, `--env-file`, the process environment, the stored profile.
 */
export const SETTINGS = {
  apiUrl: { flag: 'api-url', env: 'CAREOS_API_URL', describe: 'CareOS API base URL' },
  apiKey: { flag: 'api-key', env: 'CAREOS_API_KEY', describe: 'partner API key (X-API-Key)' },
  platform: { flag: 'platform', env: 'CAREOS_PLATFORM', describe: 'partner platform (X-Platform)' },
  publicKey: { flag: 'public-key', env: 'CAREOS_PUBLIC_KEY', describe: 'CareOS public key: PEM text or a path to a PEM file' },
  salt: { flag: 'salt', env: 'PHONE_HASH_SALT', describe: 'phone-hash salt' },
  email: { flag: 'email', env: 'CAREOS_ADMIN_EMAIL', describe: 'admin email' },
  password: { flag: 'password', env: 'CAREOS_ADMIN_PASSWORD', describe: 'admin password' },
} as const;

/** A setting name. */
export type SettingName = keyof typeof SETTINGS;

/** Where a resolved value came from. */
export type SettingSource = 'flag' | 'env-file' | 'env' | 'profile';

/** Resolved values and their sources. */
export interface ResolvedSettings {
  values: Partial<Record<SettingName, string>>;
  sources: Partial<Record<SettingName, SettingSource>>;
  profile: string;
}

/** Adds `--<flag>` options for the given settings, plus `--env-file` and `--profile`. */
export function addSettingOptions(command: Command, names: readonly SettingName[]): Command {
  for (const name of names) {
    const { flag, env, describe } = SETTINGS[name];
    command.option(`--${flag} <value>`, `${describe} (env ${env})`);
  }
  return command
    .option('--env-file <path>', 'read settings from a .env file (e.g. the partner.env from `careos keys generate`)')
    .option('--profile <name>', 'stored profile to use (env CAREOS_PROFILE, default "default")');
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Resolves settings for a command from its parsed options.
 * @param options commander's parsed options (camel-cased flags, `envFile`, `profile`)
 */
export function resolveSettings(
  names: readonly SettingName[],
  options: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedSettings {
  const fileVars = typeof options.envFile === 'string' ? readEnvFile(options.envFile) : {};
  const profile = profileName(options.profile as string | undefined, env);
  const stored = readProfile(profile, env);
  const resolved: ResolvedSettings = { values: {}, sources: {}, profile };
  for (const name of names) {
    const setting = SETTINGS[name];
    const candidates: [SettingSource, unknown][] = [
      ['flag', options[camel(setting.flag)]],
      ['env-file', fileVars[setting.env]],
      ['env', env[setting.env]],
      ['profile', stored[name]],
    ];
    const hit = candidates.find(([, value]) => typeof value === 'string' && value !== '');
    if (hit) {
      resolved.values[name] = hit[1] as string;
      resolved.sources[name] = hit[0];
    }
  }
  if (resolved.values.publicKey) resolved.values.publicKey = readPem(resolved.values.publicKey);
  return resolved;
}

/** `--public-key` takes PEM text (also the one-line escaped form) or a path to a PEM file. */
function readPem(value: string): string {
  const trimmed = value.trim().replace(/^["']/, '');
  if (trimmed.startsWith('-----BEGIN')) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch {
    throw new CliError(`--public-key is neither PEM text nor a readable file: ${value}`, ExitCode.USAGE);
  }
}
