import { CareOS, CareOSIntegration, LookupClient, type ClientOptions, type IntegrationClientOptions, type LookupClientOptions } from '@careos/sdk';
import { requireSettings } from './required-settings.js';
import type { ResolvedSettings } from './settings.js';

// The SDK clients commands call the API with; a command imports this file when it runs, not when
// it is declared, so that `careos <command> --help` loads no SDK.

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

/**
 * Asks for the staff login still missing, then runs `work` with a client signed in as that
 * account (admin or staff), closed afterwards whatever `work` does.
 */
export async function withAdminClient<T>(settings: ResolvedSettings, work: (client: CareOS) => Promise<T>): Promise<T> {
  await requireSettings(settings, ['email', 'password']);
  const client = adminClient(settings);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
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
