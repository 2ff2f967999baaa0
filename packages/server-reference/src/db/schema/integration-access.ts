import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { encrypted, legacyPlaintext, ts } from './columns.js';

/** Therapy-integration partners (e.g. SuperTool), who act for therapists through API keys. */
export const integrationPartners = pgTable('integration_partners', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** `active` or `suspended`; checked on every request, so a suspension applies at once. */
  status: text('status').notNull().default('active'),
  /** Exact addresses or CIDR ranges allowed to call; empty allows any (seed §7). */
  ipAllowlist: jsonb('ip_allowlist').$type<string[]>().notNull(),
  /** Requests per minute per API key; `null` uses `CAREOS_RATE_LIMIT_INTEGRATION`. */
  rateLimitPerMinute: integer('rate_limit_per_minute'),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/**
 * Integration API keys. The key is high-entropy and looked up by its SHA-256; the secret is
 * what proves possession, so it gets a slow hash (argon2id, DESIGN §4.9).
 */
export const integrationApiKeys = pgTable(
  'integration_api_keys',
  {
    id: text('id').primaryKey(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => integrationPartners.id),
    keyHash: text('key_hash').notNull(),
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    createdAt: ts('created_at').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('integration_api_keys_hash_key').on(t.keyHash), index('integration_api_keys_partner_idx').on(t.partnerId)],
);

/** Therapists a token can act for. An inactive therapist's tokens stop working at once. */
export const therapists = pgTable('therapists', {
  id: text('id').primaryKey(),
  firstNameEnc: encrypted('first_name_enc'),
  lastNameEnc: encrypted('last_name_enc'),
  emailEnc: encrypted('email_enc'),
  active: boolean('active').notNull().default(true),
  createdAt: ts('created_at').notNull(),
    /** @deprecated Plaintext before field encryption; emptied at start. */
  firstName: legacyPlaintext('first_name'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
  lastName: legacyPlaintext('last_name'),
    /** @deprecated Plaintext before field encryption; emptied at start. */
  email: legacyPlaintext('email'),
});
