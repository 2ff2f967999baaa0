import type { Command } from 'commander';
import { settingPrompt } from '../../lib/required-settings.js';
import { CREDENTIAL_GROUPS, GROUP_NAMES, groupsOf, type GroupName } from '../../lib/credentials/groups.js';
import { createCredentialStore, type CredentialBackend } from '../../lib/credentials/store.js';
import { groupLabel, verifyGroups, type GroupCheck } from '../../lib/credentials/verify.js';
import { CliError, ExitCode } from '../../lib/exit-codes.js';
import { noun } from '../../lib/nouns.js';
import { createOutput, type Output } from '../../lib/output.js';
import { configFilePath, writeProfile } from '../../lib/profiles.js';
import { canPrompt, chooseOne, fillMissing } from '../../lib/prompts.js';
import { addSettingOptions, givenSettings, resolveSettings, SETTING_NAMES, SETTINGS, type SettingName } from '../../lib/settings.js';

interface Options {
  verify: boolean;
  /** `true` for the one secret the other values leave missing, or the flag name of the secret. */
  withToken?: string | true;
  json?: boolean;
  [setting: string]: unknown;
}

/** Where one value went: config.json for plain values, a credential-store backend for secrets. */
interface Placement {
  setting: SettingName;
  location: 'config' | CredentialBackend;
  /** The file, when the value went to one. */
  path?: string;
}

interface GroupReport {
  group: GroupName;
  verified: boolean;
  /** Why a group was stored without a check. */
  reason?: string;
}

/**
 * The groups this login is about: those the given values belong to, none when only values
 * outside any group were given (say, a new `--api-url`), or (nothing given, on a terminal) the
 * one the user picks.
 */
async function chosenGroups(given: Partial<Record<SettingName, string>>): Promise<GroupName[]> {
  const groups = groupsOf(Object.keys(given) as SettingName[]);
  if (groups.length > 0 || Object.keys(given).length > 0) return groups;
  if (!canPrompt()) {
    throw new CliError(
      'Nothing to store: pass credentials, e.g. --email and --password (admin), --api-key and --platform (partner), or --env partner.env',
      ExitCode.USAGE,
    );
  }
  return [await chooseOne('Which credentials do you want to store?', GROUP_NAMES.map((value) => ({ value, name: groupLabel(value) })))];
}

function render(out: Output, profile: string, placements: readonly Placement[], groups: readonly GroupReport[]): string {
  const width = Math.max(...placements.map((p) => p.setting.length));
  const where = (p: Placement) => (p.location === 'keychain' ? 'OS keychain' : p.path);
  const lines = [`Stored for profile "${profile}":`, ...placements.map((p) => `  ${p.setting.padEnd(width)}  → ${where(p)}`)];
  for (const g of groups) {
    lines.push(g.verified ? `${out.color.green('verified')}    ${groupLabel(g.group)}` : `${out.color.yellow('unverified')}  ${groupLabel(g.group)} (${g.reason})`);
  }
  return lines.join('\n');
}

const SECRET_FLAGS = SETTING_NAMES.filter((name) => SETTINGS[name].secret).map((name) => SETTINGS[name].flag);

/** Reads the secret `name` from stdin for `--with-token`; refuses a terminal, where it would wait for typing. */
async function secretFromStdin(name: SettingName): Promise<string> {
  if (process.stdin.isTTY) {
    throw new CliError(`--with-token reads --${SETTINGS[name].flag} from stdin, and stdin is a terminal`, ExitCode.USAGE, `Pipe it in: printf %s "$SECRET" | careos auth login ... --with-token, or < file`);
  }
  const { readSecretFromStdin } = await import('../../lib/stdin.js');
  try {
    return await readSecretFromStdin(`--${SETTINGS[name].flag}`);
  } catch (error) {
    throw new CliError((error as Error).message, ExitCode.USAGE);
  }
}

/**
 * `--with-token`: the secret comes from stdin, never from the command line (where the shell's
 * history and `ps` would show it). Named (`--with-token lookup-key`), or else the one secret
 * the chosen credential groups still lack.
 */
async function addStdinSecret(withToken: string | true, given: Partial<Record<SettingName, string>>, groups: readonly GroupName[]): Promise<void> {
  if (withToken !== true) {
    const name = SETTING_NAMES.find((n) => SETTINGS[n].flag === withToken.replace(/^--/, ''));
    if (name === undefined || !SETTINGS[name].secret) throw new CliError(`--with-token takes the name of a secret: ${SECRET_FLAGS.join(', ')}`, ExitCode.USAGE);
    given[name] = await secretFromStdin(name);
    return;
  }
  const missing = [...new Set(groups.flatMap((g) => CREDENTIAL_GROUPS[g].required as readonly SettingName[]))].filter((n) => SETTINGS[n].secret && given[n] === undefined);
  if (missing.length !== 1) {
    throw new CliError(
      missing.length === 0
        ? '--with-token: no secret is left to read from stdin; name the one you mean, e.g. --with-token lookup-key'
        : `--with-token reads one secret from stdin, and ${missing.map((n) => `--${SETTINGS[n].flag}`).join(' and ')} are missing; name it, e.g. --with-token ${SETTINGS[missing[0]!].flag}`,
      ExitCode.USAGE,
    );
  }
  given[missing[0]!] = await secretFromStdin(missing[0]!);
}

/** `careos auth login`: checks credentials against the API, then stores them for later commands. */
export function register(program: Command): void {
  const command = noun(program, 'auth')
    .command('login')
    .description('Store credentials for a profile (secrets in the OS keychain, else a 0600 file), after checking them against the API')
    .option('--with-token [secret]', `read a secret from stdin (preferred to passing it as a flag): the one the other values leave missing, or the one named (${SECRET_FLAGS.join(', ')})`)
    .option('--no-verify', 'store without checking against the API')
    .option('--json', 'print what was stored where as JSON');
  addSettingOptions(command, SETTING_NAMES);
  command.addHelpText(
    'after',
    [
      '',
      'Stores only what is given here (flags, --env, answers to prompts); environment variables are not stored.',
      'Secrets (api key, password, integration key and secret, webhook secret, lookup key) go to the OS keychain, or, when it is',
      'unavailable, to credentials.json (mode 0600) in the config dir, with a warning. CAREOS_CREDENTIAL_STORE=auto|keychain|file',
      'picks the backend. Other values go to the profile in config.json. Nothing is stored when a check fails.',
      '',
      'Checks: admin login (a staff login), partner key (a partner call), integration key, secret and therapist (a token',
      'exchange), lookup key (a lookup of a number reserved for fiction: "no case" proves the key too). The webhook secret',
      'has nothing to check it against on the server and is stored unverified.',
      '',
      'Secrets on the command line end up in shell history and `ps`: pipe them in with --with-token instead.',
      '',
      'Examples:',
      '  printf %s "$CAREOS_API_KEY" | careos auth login --platform businessos --with-token   # the partner API key from stdin',
      '  careos auth login --email ops@example.com --with-token < admin-password.txt',
      '  careos auth login --with-token lookup-key < lookup.key',
      '  careos auth login --api-url http://127.0.0.1:8000 --email ops@example.com   # asks for the password on a terminal',
      '  careos auth login --integration-key int_live_… --therapist-id 550e8400-…   # asks for the secret on a terminal',
      '  careos auth login --env keys/partner.env --profile businessos',
    ].join('\n'),
  );
  command.action(async (options: Options) => {
    const out = createOutput({ json: options.json });
    const store = createCredentialStore({ warn: out.warn });
    const given = givenSettings(SETTING_NAMES, options);
    if (typeof options.withToken === 'string') await addStdinSecret(options.withToken, given, []);
    const groups = await chosenGroups(given);
    if (options.withToken === true) await addStdinSecret(true, given, groups);

    // A group member not given may already be known (e.g. a new password for the stored email):
    // resolve it the usual way, and ask only for what is still missing.
    const required = [...new Set(groups.flatMap((g) => CREDENTIAL_GROUPS[g].required as readonly SettingName[]))];
    const resolved = await resolveSettings(['apiUrl', ...required.filter((name) => given[name] === undefined)], options, process.env, store);
    const values = { ...resolved.values, ...given };
    const missing = required.filter((name) => values[name] === undefined);
    const answers = await fillMissing(missing.map((name) => settingPrompt(name, undefined)));
    missing.forEach((name, i) => {
      given[name] = answers[i];
      values[name] = answers[i];
    });

    let checks: GroupCheck[] = groups.map((group) => ({ group, status: 'unverifiable' }));
    if (options.verify) {
      checks = await verifyGroups(groups, values, values.apiUrl);
      const { describeFailure } = await import('../../lib/failure.js');
      const failed = checks.flatMap((c) => (c.status === 'failed' ? [{ group: c.group, ...describeFailure(c.error) }] : []));
      if (failed.length > 0) {
        throw new CliError(
          `Nothing was stored: ${failed.map((f) => `${groupLabel(f.group)}: ${f.message}`).join('; ')}`,
          failed[0]!.exitCode as ExitCode,
          'Check the values (and --api-url), or pass --no-verify to store them unchecked.',
        );
      }
    }

    // Secrets first: if the store refuses them (CAREOS_CREDENTIAL_STORE=keychain and no
    // keychain), config.json is left as it was.
    const profile = resolved.profile;
    const secrets = Object.fromEntries(Object.entries(given).filter(([name]) => SETTINGS[name as SettingName].secret)) as Record<string, string>;
    const plain = Object.fromEntries(Object.entries(given).filter(([name]) => !SETTINGS[name as SettingName].secret));
    const stored = await store.set(profile, secrets);
    if (Object.keys(plain).length > 0) writeProfile(profile, plain);

    const configPath = configFilePath();
    const placements: Placement[] = [
      ...Object.keys(plain).map((setting) => ({ setting: setting as SettingName, location: 'config' as const, path: configPath })),
      ...stored.map((s) => ({ setting: s.name as SettingName, location: s.backend, ...(s.backend === 'file' ? { path: store.filePath } : {}) })),
    ].sort((a, b) => SETTING_NAMES.indexOf(a.setting) - SETTING_NAMES.indexOf(b.setting));
    const reports: GroupReport[] = checks.map((c) =>
      c.status === 'verified'
        ? { group: c.group, verified: true }
        : { group: c.group, verified: false, reason: options.verify ? 'no check available' : '--no-verify' },
    );
    out.data({ profile, stored: placements, groups: reports }, () => render(out, profile, placements, reports));
  });
}
