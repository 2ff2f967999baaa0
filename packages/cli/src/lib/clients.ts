import { CareOS, type ClientOptions } from '@careos/sdk';
import { fillMissing } from './prompts.js';
import { SETTINGS, type ResolvedSettings, type SettingName } from './settings.js';

/** Settings a partner command resolves (lead send, ...). */
export const PARTNER_SETTINGS = ['apiUrl', 'apiKey', 'platform', 'publicKey', 'salt'] as const satisfies readonly SettingName[];
/** Settings an admin command resolves (payments process, ...). */
export const ADMIN_SETTINGS = ['apiUrl', 'email', 'password'] as const satisfies readonly SettingName[];

/** Asks for (on a TTY) or demands (otherwise) the settings a command cannot run without. */
export async function requireSettings(settings: ResolvedSettings, names: readonly SettingName[]): Promise<void> {
  const answers = await fillMissing(
    names.map((name) => ({
      flag: `--${SETTINGS[name].flag}`,
      env: SETTINGS[name].env,
      message: SETTINGS[name].describe,
      secret: name === 'apiKey' || name === 'password' || name === 'salt',
      value: settings.values[name],
    })),
  );
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
export function adminClient(settings: ResolvedSettings, extra: ClientOptions = {}): CareOS {
  const v = settings.values;
  return new CareOS({
    ...(v.apiUrl ? { baseURL: v.apiUrl } : {}),
    ...(v.email ? { staffEmail: v.email } : {}),
    ...(v.password ? { staffPassword: v.password } : {}),
    ...extra,
  });
}
