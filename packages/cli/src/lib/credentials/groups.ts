import type { SettingName } from '../settings.js';

/** A set of settings that together authenticate one way against CareOS. */
export interface CredentialGroup {
  /** Shown to the user. */
  label: string;
  /** Settings the group cannot work without. */
  required: readonly SettingName[];
  /** Settings that belong with the group but are not needed to authenticate. */
  optional?: readonly SettingName[];
}

/**
 * The credential groups `careos auth` stores, verifies and reports. Verification per group is
 * in `verify.ts`.
 */
export const CREDENTIAL_GROUPS = {
  admin: { label: 'admin login', required: ['email', 'password'] },
  partner: { label: 'partner API key', required: ['apiKey', 'platform'], optional: ['publicKey', 'salt'] },
  integration: { label: 'integration API credentials', required: ['integrationKey', 'integrationSecret', 'therapistId'] },
  webhook: { label: 'webhook signing secret', required: ['webhookSecret'] },
  lookup: { label: 'lookup API key', required: ['lookupKey'] },
} as const satisfies Record<string, CredentialGroup>;

/** A credential group's name. */
export type GroupName = keyof typeof CREDENTIAL_GROUPS;

/** Every group, in display order. */
export const GROUP_NAMES = Object.keys(CREDENTIAL_GROUPS) as GroupName[];

/** Every setting of a group, required first. */
export function groupSettings(group: GroupName): readonly SettingName[] {
  const spec: CredentialGroup = CREDENTIAL_GROUPS[group];
  return [...spec.required, ...(spec.optional ?? [])];
}

/** The groups any of `names` belongs to. */
export function groupsOf(names: Iterable<SettingName>): GroupName[] {
  const set = new Set(names);
  return GROUP_NAMES.filter((group) => groupSettings(group).some((name) => set.has(name)));
}
