import { createHash } from 'node:crypto';
import { hashPhone, InvalidPhoneError, normalizePhone } from '@careos/contract';
import { CliError, ExitCode } from './exit-codes.js';

/** What a derived conversation id is computed from: the lead's flags, and the partner's platform and salt. */
export interface LeadIdentity {
  platform: string;
  salt: string;
  /** `--phone`, as typed. */
  phone: string;
  /** `--country`: how a national `--phone` is read (default US). */
  country?: string;
  category: string;
  message: string;
}

/**
 * A conversation id derived from who said what to which partner: `cli-` and 32 hex characters of
 * a SHA-256 over platform, the salted phone hash (the one CareOS receives anyway: the id must not
 * let anyone recover the number), category and message. The same command run twice yields the
 * same id, so CareOS answers the second run as a replay instead of creating a second lead.
 *
 * @throws {@link CliError} (usage) when `phone` is not a phone number
 */
export function derivedConversationId(identity: LeadIdentity): string {
  let e164: string;
  try {
    e164 = normalizePhone(identity.phone, { defaultCountry: (identity.country?.toUpperCase() ?? 'US') as never });
  } catch (error) {
    if (error instanceof InvalidPhoneError) throw new CliError('--phone: not a valid phone number: use E.164 (+14155550100), or a national number with --country', ExitCode.USAGE);
    throw error;
  }
  const digest = createHash('sha256')
    .update(JSON.stringify(['careos-cli-lead/1', identity.platform.trim().toLowerCase(), hashPhone(e164, identity.salt), identity.category.trim(), identity.message.trim()]))
    .digest('hex');
  return `cli-${digest.slice(0, 32)}`;
}
