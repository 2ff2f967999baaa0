import { CliError, ExitCode } from './exit-codes.js';
import { fillMissing } from './prompts.js';
import { SETTINGS, type ResolvedSettings, type SettingName } from './settings.js';

// The settings each kind of command needs, and how a missing one is asked for. Apart from the
// clients (`clients.ts`, which load the SDK), so that declaring a command's options costs no SDK.

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
