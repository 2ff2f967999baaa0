import { randomBytes } from 'node:crypto';
import { hashPhone, SEED_EXAMPLE_LEAD } from '@careos/contract';
import type { PlainPhoneLead } from '@careos/sdk';
import { BUSINESSOS, type PartnerFixture } from './app.js';
import { encryptPhone, type TestKeyPair } from './keys.js';

let counter = 0;
const base = randomBytes(3).readUIntBE(0, 3) % 4_000_000;

/** A phone number no other test uses (US, E.164). */
export function uniquePhone(): string {
  counter += 1;
  return `+1415${String(5_000_000 + ((base + counter) % 4_000_000)).padStart(7, '0')}`;
}

/** A conversation id no other test uses. */
export function uniqueConversation(prefix = 'conv'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** Options of {@link leadBody}. */
export interface LeadOptions {
  keys: TestKeyPair;
  partner?: PartnerFixture;
  phone?: string;
  /** The string to hash instead of `phone` (defaults to `phone`). */
  hashOf?: string;
  conversationId?: string;
}

/** A valid ingest body in the seed's shape (the seed's own example values), encrypted for `keys`. */
export function leadBody(options: LeadOptions, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const partner = options.partner ?? BUSINESSOS;
  const phone = options.phone ?? uniquePhone();
  return {
    ...SEED_EXAMPLE_LEAD,
    source_platform: partner.platform,
    source_conversation_id: options.conversationId ?? uniqueConversation(),
    user_phone_hash: hashPhone(options.hashOf ?? phone, partner.salt),
    user_phone_encrypted: encryptPhone(options.keys.publicKeyPem, phone),
    ...overrides,
  };
}

/** A lead as the SDK takes it, phone in clear (the SDK encrypts and hashes it): the seed's example values. */
export function plainPhoneLead(overrides: Partial<PlainPhoneLead> = {}): PlainPhoneLead {
  const { source_platform: _platform, user_phone_hash: _hash, user_phone_encrypted: _encrypted, ...fields } = SEED_EXAMPLE_LEAD;
  return { ...fields, source_conversation_id: uniqueConversation('sdk'), phone: uniquePhone(), ...overrides };
}
