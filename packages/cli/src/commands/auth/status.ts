import type { Command } from 'commander';
import { CREDENTIAL_GROUPS, GROUP_NAMES, groupSettings, type GroupName } from '../../lib/credentials/groups.js';
import { createCredentialStore } from '../../lib/credentials/store.js';
import { groupLabel, VERIFIERS } from '../../lib/credentials/verify.js';
import { ExitCode, ExitStatus } from '../../lib/exit-codes.js';
import { noun } from '../../lib/nouns.js';
import { createOutput, type Output } from '../../lib/output.js';
import { addSettingOptions, displayValue, resolveSettings, SETTING_NAMES, SETTINGS, type SettingName, type SettingSource } from '../../lib/settings.js';

interface Options {
  offline?: boolean;
  json?: boolean;
  [setting: string]: unknown;
}

interface SettingRow {
  setting: SettingName;
  env: string;
  source: SettingSource | null;
  /** Masked for secrets and salts. */
  value: string | null;
}

/**
 * `absent`: none of its settings is set; `incomplete`: some are; `unchecked`: complete but not
 * checked (`--offline`, or no check exists for the group); `failed`: the API refused it or
 * could not be asked.
 */
type GroupStatus = 'verified' | 'failed' | 'incomplete' | 'unchecked' | 'absent';

interface GroupRow {
  group: GroupName;
  status: GroupStatus;
  missing?: string[];
  message?: string;
  exitCode?: number;
}

async function checkGroup(group: GroupName, values: Partial<Record<SettingName, string>>, offline: boolean): Promise<GroupRow> {
  const required: readonly SettingName[] = CREDENTIAL_GROUPS[group].required;
  const missing = required.filter((name) => values[name] === undefined);
  if (!groupSettings(group).some((name) => values[name] !== undefined)) return { group, status: 'absent' };
  if (missing.length > 0) return { group, status: 'incomplete', missing: missing.map((name) => `--${SETTINGS[name].flag}`) };
  const verify = VERIFIERS[group];
  if (offline || !verify) return { group, status: 'unchecked' };
  try {
    await verify(values, values.apiUrl);
    return { group, status: 'verified' };
  } catch (error) {
    const { describeFailure } = await import('../../lib/failure.js');
    const failure = describeFailure(error);
    return { group, status: 'failed', message: failure.message, exitCode: failure.exitCode };
  }
}

/** 3 when the API refused a credential, else 4 when it could not be asked, else 2 when a group is half set. */
function exitCodeOf(groups: readonly GroupRow[]): ExitCode {
  const codes = groups.map((g) => (g.status === 'failed' ? g.exitCode : g.status === 'incomplete' ? ExitCode.USAGE : ExitCode.OK));
  for (const code of [ExitCode.API_ERROR, ExitCode.UNAVAILABLE, ExitCode.FAILURE, ExitCode.USAGE]) if (codes.includes(code)) return code;
  return ExitCode.OK;
}

function render(out: Output, profile: string, mode: string, settings: readonly SettingRow[], groups: readonly GroupRow[], offline: boolean): string {
  const width = Math.max(...settings.map((s) => s.setting.length));
  const valueWidth = Math.max(...settings.map((s) => (s.value ?? '—').length));
  const lines = [`Profile "${profile}" (credential store: ${mode})`];
  for (const s of settings) {
    const value = s.value === null ? out.color.dim('—'.padEnd(valueWidth)) : s.value.padEnd(valueWidth);
    lines.push(`  ${s.setting.padEnd(width)}  ${value}  ${s.source ?? ''}`.trimEnd());
  }
  lines.push('', offline ? 'Credentials (not checked: --offline)' : 'Credentials');
  const labelWidth = Math.max(...groups.map((g) => groupLabel(g.group).length));
  for (const g of groups) {
    const state = {
      verified: out.color.green('works'),
      failed: out.color.red(`fails: ${g.message}`),
      incomplete: out.color.yellow(`incomplete: missing ${g.missing?.join(', ')}`),
      unchecked: offline || VERIFIERS[g.group] ? 'set' : 'set (no check available)',
      absent: out.color.dim('not set'),
    }[g.status];
    lines.push(`  ${groupLabel(g.group).padEnd(labelWidth)}  ${state}`);
  }
  return lines.join('\n');
}

/** `careos auth status`: where each setting comes from, and whether the credentials work. */
export function register(program: Command): void {
  const command = noun(program, 'auth')
    .command('status')
    .description('Show each setting with its source (secrets masked) and check every credential group against the API')
    .option('--offline', 'do not contact the API')
    .option('--json', 'print the report as JSON');
  addSettingOptions(command, SETTING_NAMES);
  command.addHelpText('after', '\nExit codes: 0 every credential present works, 3 one is refused, 4 the API cannot be reached, 2 one is incomplete.');
  command.action(async (options: Options) => {
    const out = createOutput({ json: options.json });
    const store = createCredentialStore({ warn: out.warn });
    const resolved = await resolveSettings(SETTING_NAMES, options, process.env, store);
    const settings: SettingRow[] = SETTING_NAMES.map((setting) => {
      const value = resolved.values[setting];
      return { setting, env: SETTINGS[setting].env, source: resolved.sources[setting] ?? null, value: value === undefined ? null : displayValue(setting, value) };
    });
    const offline = options.offline === true;
    const groups = await Promise.all(GROUP_NAMES.map((group) => checkGroup(group, resolved.values, offline)));
    const report = {
      profile: resolved.profile,
      credentialStore: store.mode,
      ...(resolved.keychainUnavailable ? { keychainUnavailable: resolved.keychainUnavailable } : {}),
      settings,
      groups,
    };
    out.data(report, () => render(out, resolved.profile, store.mode, settings, groups, offline));
    if (resolved.keychainUnavailable) out.note(`The OS keychain could not be read (${resolved.keychainUnavailable}); only ${store.filePath} was checked.`);
    const code = exitCodeOf(groups);
    if (code !== ExitCode.OK) throw new ExitStatus(code);
  });
}
