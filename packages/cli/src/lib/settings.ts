import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createCredentialStore, type CredentialReader } from './credentials/store.js';
import { addEnvFileOption, readEnvFileOption } from './env-file.js';
import { CliError, ExitCode } from './exit-codes.js';
import { readProfile, profileName } from './profiles.js';

/** How one connection setting is given and kept. */
export interface SettingSpec {
  /** Option name without the dashes. */
  flag: string;
  /** Environment variable (also read from `--env`). */
  env: string;
  /** Help text. */
  describe: string;
  /** Stored in the credential store (OS keychain or credentials.json), never in config.json. */
  secret?: boolean;
  /**
   * How the value is hidden when shown: `prefix` keeps the first characters (API keys start with
   * a non-secret prefix that tells them apart), `full` hides it all (passwords, salts).
   * Masked values are also typed without echo at prompts.
   */
  mask?: 'prefix' | 'full';
}

const DEFINITIONS = {
  apiUrl: { flag: 'api-url', env: 'CAREOS_API_URL', describe: 'CareOS API base URL' },
  apiKey: { flag: 'api-key', env: 'CAREOS_API_KEY', describe: 'partner API key (X-API-Key)', secret: true, mask: 'prefix' },
  platform: { flag: 'platform', env: 'CAREOS_PLATFORM', describe: 'partner platform (X-Platform)' },
  publicKey: { flag: 'public-key', env: 'CAREOS_PUBLIC_KEY', describe: 'CareOS public key: PEM text or a path to a PEM file' },
  salt: { flag: 'salt', env: 'PHONE_HASH_SALT', describe: 'phone-hash salt', mask: 'full' },
  email: { flag: 'email', env: 'CAREOS_ADMIN_EMAIL', describe: 'admin email' },
  password: { flag: 'password', env: 'CAREOS_ADMIN_PASSWORD', describe: 'admin password', secret: true, mask: 'full' },
  integrationKey: { flag: 'integration-key', env: 'CAREOS_INTEGRATION_API_KEY', describe: 'integration API key', secret: true, mask: 'prefix' },
  integrationSecret: { flag: 'integration-secret', env: 'CAREOS_INTEGRATION_API_SECRET', describe: 'integration API secret', secret: true, mask: 'full' },
  therapistId: { flag: 'therapist-id', env: 'CAREOS_THERAPIST_ID', describe: 'therapist id for the integration API' },
  webhookSecret: { flag: 'webhook-secret', env: 'CAREOS_WEBHOOK_SECRET', describe: 'webhook signing secret (whsec_...)', secret: true, mask: 'prefix' },
  lookupKey: { flag: 'lookup-key', env: 'CAREOS_LOOKUP_API_KEY', describe: 'CCaaS lookup API key (x-api-key)', secret: true, mask: 'prefix' },
} as const satisfies Record<string, SettingSpec>;

/** A setting name. */
export type SettingName = keyof typeof DEFINITIONS;

/**
 * Connection settings every command resolves the same way. Precedence, highest first:
 * command-line flag, `--env`, the process environment, the stored profile (non-secret
 * values in config.json, secrets in the credential store).
 */
export const SETTINGS: Readonly<Record<SettingName, SettingSpec>> = DEFINITIONS;

/** Every setting, in display order. */
export const SETTING_NAMES = Object.keys(DEFINITIONS) as SettingName[];

/** The settings kept in the credential store rather than in config.json. */
export const SECRET_SETTINGS: readonly SettingName[] = SETTING_NAMES.filter((name) => SETTINGS[name].secret);

/**
 * Where a resolved value came from. `profile` is config.json; `profile:keychain` and
 * `profile:file` are the two backends of the credential store.
 */
export type SettingSource = 'flag' | 'env-file' | 'env' | 'profile' | 'profile:keychain' | 'profile:file';

/** Resolved values and their sources. */
export interface ResolvedSettings {
  values: Partial<Record<SettingName, string>>;
  sources: Partial<Record<SettingName, SettingSource>>;
  profile: string;
  /** Set when a secret was looked for in the OS keychain and the keychain did not answer: why. */
  keychainUnavailable?: string;
}

/** Adds `--<flag>` options for the given settings, plus `--env` (and its older spelling `--env-file`) and `--profile`. */
export function addSettingOptions(command: Command, names: readonly SettingName[]): Command {
  for (const name of names) {
    const { flag, env, describe } = SETTINGS[name];
    command.option(`--${flag} <value>`, `${describe} (env ${env})`);
  }
  addEnvFileOption(command, 'read settings from a .env file (e.g. the partner.env from `careos keys generate`)');
  return command
    .option('--profile <name>', 'stored profile to use (env CAREOS_PROFILE, default "default")');
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

const present = (value: unknown): value is string => typeof value === 'string' && value !== '';

/**
 * Resolves settings for a command from its parsed options.
 *
 * The credential store is asked only for secrets that no flag, env file, environment variable
 * or config.json value supplied, so a command given everything on its command line never
 * touches the keychain (which may be slow, locked, or absent).
 *
 * @param options commander's parsed options (camel-cased flags, `envFile`, `profile`)
 * @param store where stored secrets are read; by default the store `CAREOS_CREDENTIAL_STORE` selects
 */
export async function resolveSettings(
  names: readonly SettingName[],
  options: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
  store?: CredentialReader,
): Promise<ResolvedSettings> {
  const fileVars = readEnvFileOption(options);
  const profile = profileName(options.profile as string | undefined, env);
  const stored = readProfile(profile, env);
  const resolved: ResolvedSettings = { values: {}, sources: {}, profile };
  for (const name of names) {
    const setting = SETTINGS[name];
    const candidates: [SettingSource, unknown][] = [
      ['flag', options[camel(setting.flag)]],
      ['env-file', fileVars[setting.env]],
      ['env', env[setting.env]],
      // Secrets live only in the credential store; config.json is not a place for them.
      ['profile', setting.secret ? undefined : stored[name]],
    ];
    const hit = candidates.find(([, value]) => present(value));
    if (hit) {
      resolved.values[name] = hit[1] as string;
      resolved.sources[name] = hit[0];
    }
  }
  const unresolvedSecrets = names.filter((name) => SETTINGS[name].secret && resolved.values[name] === undefined);
  if (unresolvedSecrets.length > 0) {
    const credentials = store ?? createCredentialStore({ env });
    for (const name of unresolvedSecrets) {
      const hit = await credentials.get(profile, name);
      if (hit) {
        resolved.values[name] = hit.value;
        resolved.sources[name] = `profile:${hit.backend}`;
      }
    }
    if (credentials.keychainUnavailable !== undefined) resolved.keychainUnavailable = credentials.keychainUnavailable;
  }
  if (resolved.values.publicKey) resolved.values.publicKey = readPem(resolved.values.publicKey);
  return resolved;
}

/**
 * The values given explicitly on this command line: flags and `--env`, not the
 * environment or stored profile. `careos auth login` stores exactly these.
 */
export function givenSettings(names: readonly SettingName[], options: Record<string, unknown>): Partial<Record<SettingName, string>> {
  const fileVars = readEnvFileOption(options);
  const given: Partial<Record<SettingName, string>> = {};
  for (const name of names) {
    const value = [options[camel(SETTINGS[name].flag)], fileVars[SETTINGS[name].env]].find(present);
    if (value !== undefined) given[name] = name === 'publicKey' ? readPem(value) : value;
  }
  return given;
}

/**
 * A value as it may be shown: secrets and salts hidden per their {@link SettingSpec.mask}.
 * A prefix is at most 6 characters and never more than a quarter of the value, so a short
 * secret is not half given away.
 */
export function displayValue(name: SettingName, value: string): string {
  const mask = SETTINGS[name].mask;
  if (mask === undefined) return name === 'publicKey' ? summarisePem(value) : value;
  if (mask === 'full') return '••••••••';
  return `${value.slice(0, Math.min(6, Math.floor(value.length / 4)))}…`;
}

/** A PEM is long and not secret; its first line and size say enough in a listing. */
function summarisePem(value: string): string {
  const firstLine = value.replace(/\\n/g, '\n').trim().split('\n')[0] ?? '';
  return `${firstLine} (${value.length} chars)`;
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
