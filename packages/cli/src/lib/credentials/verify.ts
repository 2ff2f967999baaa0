import type { CareOS } from '@careos/sdk';
import type { SettingName } from '../settings.js';
import { CREDENTIAL_GROUPS, type GroupName } from './groups.js';

/** Values of the settings a verifier reads. */
export type GroupValues = Partial<Record<SettingName, string>>;

/**
 * Proves one complete credential group works against the API at `apiUrl` (undefined: the
 * SDK's default). Resolves when it does; rejects with the SDK's error when it does not.
 */
export type Verifier = (values: GroupValues, apiUrl: string | undefined) => Promise<void>;

/** The SDK, loaded when a check runs: `careos auth --help` and an offline status need none of it. */
function sdk(): Promise<typeof import('@careos/sdk')> {
  return import('@careos/sdk');
}

// A check is a question, not a job: one retry, and a bounded wait.
const CHECK_OPTIONS = { maxRetries: 1, timeout: 10_000 } as const;

async function withClient(options: ConstructorParameters<typeof CareOS>[0], call: (client: CareOS) => Promise<unknown>): Promise<void> {
  const { CareOS } = await sdk();
  const client = new CareOS({ ...CHECK_OPTIONS, ...options });
  try {
    await call(client);
  } finally {
    await client.close();
  }
}

const baseURL = (apiUrl: string | undefined) => (apiUrl ? { baseURL: apiUrl } : {});

/** Admin email and password: a staff login, as `adminClient` does before every admin call. */
export const verifyAdmin: Verifier = (v, apiUrl) => withClient(baseURL(apiUrl), (client) => client.auth.login({ email: v.email ?? '', password: v.password ?? '' }));

/** Partner API key and platform: the cheapest call that needs both. */
export const verifyPartner: Verifier = (v, apiUrl) =>
  withClient({ ...baseURL(apiUrl), apiKey: v.apiKey ?? '', platform: v.platform ?? '' }, (client) => client.partner.payments.list({ limit: 1 }));

/**
 * Integration key, secret and therapist: the token exchange itself (`POST /api/integration/auth`),
 * which checks all three (an unknown key, a wrong secret and an unknown or inactive therapist
 * each fail) without reading any client data.
 */
export const verifyIntegration: Verifier = async (v, apiUrl) => {
  // `env: {}`: only the values being checked count, not whatever CAREOS_INTEGRATION_* is set.
  const { CareOSIntegration } = await sdk();
  const client = new CareOSIntegration({ ...CHECK_OPTIONS, ...baseURL(apiUrl), apiKey: v.integrationKey ?? '', apiSecret: v.integrationSecret ?? '', therapistId: v.therapistId ?? '', env: {} });
  try {
    await client.auth.createToken();
  } finally {
    await client.close();
  }
};

/**
 * A number reserved for fiction (NANP 555-0100 to 0199): a check that looks it up proves the key
 * works without reading any real patient's case.
 */
export const LOOKUP_CHECK_PHONE = '+12025550100';

/**
 * Lookup key: one uncached lookup of {@link LOOKUP_CHECK_PHONE}. "No case" (404) and a case both
 * prove the key; a 401 is a wrong or revoked key.
 */
export const verifyLookup: Verifier = async (v, apiUrl) => {
  // `env: {}`: only the key being checked counts, not whatever CAREOS_LOOKUP_API_KEY is set.
  const { LookupClient } = await sdk();
  const client = new LookupClient({ ...CHECK_OPTIONS, ...baseURL(apiUrl), apiKey: v.lookupKey ?? '', cache: false, throwOnError: true, env: {} });
  try {
    await client.byPhone(LOOKUP_CHECK_PHONE);
  } finally {
    await client.close();
  }
};

/**
 * The check for each group that has one. A group without an entry is stored unverified (the
 * webhook secret has nothing on the server to check it against: only a signed delivery can show
 * it is right, which `careos webhooks verify` does). Adding a check is one entry here.
 */
export const VERIFIERS: Partial<Record<GroupName, Verifier>> = {
  admin: verifyAdmin,
  partner: verifyPartner,
  integration: verifyIntegration,
  lookup: verifyLookup,
};

/** The outcome of checking one group. */
export type GroupCheck =
  | { group: GroupName; status: 'verified' }
  | { group: GroupName; status: 'failed'; error: unknown }
  | { group: GroupName; status: 'unverifiable' };

/** Checks every group in `groups` that has a verifier, concurrently, with the values given. */
export async function verifyGroups(groups: readonly GroupName[], values: GroupValues, apiUrl: string | undefined): Promise<GroupCheck[]> {
  return Promise.all(
    groups.map(async (group): Promise<GroupCheck> => {
      const verify = VERIFIERS[group];
      if (!verify) return { group, status: 'unverifiable' };
      try {
        await verify(values, apiUrl);
        return { group, status: 'verified' };
      } catch (error) {
        return { group, status: 'failed', error };
      }
    }),
  );
}

/** The label of a group, for messages. */
export function groupLabel(group: GroupName): string {
  return CREDENTIAL_GROUPS[group].label;
}
