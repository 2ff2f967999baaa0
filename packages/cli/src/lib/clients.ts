import { CareOS, CareOSIntegration, LookupClient, type ClientOptions, type IntegrationClientOptions, type LookupClientOptions } from '@careos/sdk';
import { CliError, ExitCode } from './exit-codes.js';
import { fillMissing } from './prompts.js';
import { SETTINGS, type ResolvedSettings, type SettingName } from './settings.js';

/** Settings a partner command resolves (lead send, ...). */
export const PARTNER_SETTINGS = ['apiUrl', 'apiKey', 'platform', 'publicKey', 'salt'] as const satisfies readonly SettingName[];
/** Settings an admin command resolves (payments process, ...). */
export const ADMIN_SETTINGS = ['apiUrl', 'email', 'password'] as const satisfies readonly SettingName[];
/** Settings a therapist-integration command resolves (integration clients, ...). */
export const INTEGRATION_SETTINGS = ['apiUrl', 'integrationKey', 'integrationSecret', 'therapistId'] as const satisfies readonly SettingName[];
/** Settings the CCaaS lookup resolves. */
export const LOOKUP_SETTINGS = ['apiUrl', 'lookupKey'] as const satisfies readonly SettingName[];
/** The integration settings a call cannot be made without. */
export const INTEGRATION_CREDENTIALS = ['integrationKey', 'integrationSecret', 'therapistId'] as const satisfies readonly SettingName[];

/** What {@link fillMissing} needs to ask for a setting (masked input for masked settings). */
export function settingPrompt(name: SettingName, value: string | undefined) {
  const { flag, env, describe, mask } = SETTINGS[name];
  return { flag: `--${flag}`, env, message: describe, secret: mask !== undefined, value };
}

/** Asks for (on a TTY) or demands (otherwise) the settings a command cannot run without. */
export async function requireSettings(settings: ResolvedSettings, names: readonly SettingName[]): Promise<void> {
  let answers: string[];
  try {
    answers = await fillMissing(names.map((name) => settingPrompt(name, settings.values[name])));
  } catch (error) {
    if (error instanceof CliError && error.exitCode === ExitCode.USAGE) {
      const profile = settings.profile === 'default' ? '' : ` --profile ${settings.profile}`;
      const keychain = settings.keychainUnavailable ? `\nThe OS keychain could not be read (${settings.keychainUnavailable}).` : '';
      throw new CliError(error.message, error.exitCode, `Or store them once with \`careos auth login${profile}\`.${keychain}`);
    }
    throw error;
  }
  names.forEach((name, i) => {
    settings.values[name] = answers[i];
  });
}

/** A partner client from resolved settings; the SDK's own env lookup only fills what is still unset. */
export function partnerClient(settings: ResolvedSettings, extra: ClientOptions = {}): CareOS {
  const v = settings.values;
  return new CareOS({
    ...(v.apiUrl ? { baseURL: v.apiUrl } : {}),
    ...(v.apiKey ? { apiKey: v.apiKey } : {}),
    ...(v.platform ? { platform: v.platform } : {}),
    ...(v.publicKey ? { publicKey: v.publicKey } : {}),
    ...(v.salt ? { phoneHashSalt: v.salt } : {}),
    ...extra,
  });
}

/** An admin client that logs in with the resolved email and password (and refreshes its token). */
/**
 * Asks for the partner credentials still missing, then runs `work` with a partner client that is
 * closed afterwards, whatever `work` does: the set-up every partner read command shares.
 */
export async function withPartnerClient<T>(settings: ResolvedSettings, work: (client: CareOS) => Promise<T>): Promise<T> {
  await requireSettings(settings, ['apiKey', 'platform']);
  const client = partnerClient(settings);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

export function adminClient(settings: ResolvedSettings, extra: ClientOptions = {}): CareOS {
  const v = settings.values;
  return new CareOS({
    ...(v.apiUrl ? { baseURL: v.apiUrl } : {}),
    ...(v.email ? { staffEmail: v.email } : {}),
    ...(v.password ? { staffPassword: v.password } : {}),
    ...extra,
  });
}

/**
 * A therapist-integration client from resolved settings. It exchanges the key and secret for a
 * token on its first call: one CLI run is one exchange, so an expired token never outlives a run
 * (a long-running command relies on the SDK's refresh and replay on `TOKEN_EXPIRED`).
 */
export function integrationClient(settings: ResolvedSettings, extra: IntegrationClientOptions = {}): CareOSIntegration {
  const v = settings.values;
  return new CareOSIntegration({
    ...(v.apiUrl ? { baseURL: v.apiUrl } : {}),
    ...(v.integrationKey ? { apiKey: v.integrationKey } : {}),
    ...(v.integrationSecret ? { apiSecret: v.integrationSecret } : {}),
    ...(v.therapistId ? { therapistId: v.therapistId } : {}),
    ...extra,
  });
}

/**
 * A lookup client from resolved settings, for one command run: no cache (one lookup per run),
 * and typed errors thrown rather than resolved, so that each maps to its exit code.
 */
export function lookupClient(settings: ResolvedSettings, extra: Omit<LookupClientOptions<true>, 'throwOnError'> = {}): LookupClient<true> {
  const v = settings.values;
  return new LookupClient({
    ...(v.apiUrl ? { baseURL: v.apiUrl } : {}),
    ...(v.lookupKey ? { apiKey: v.lookupKey } : {}),
    cache: false,
    ...extra,
    throwOnError: true,
  });
}
