import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/** Lead partners (BusinessOS and others). */
export const partners = pgTable(
  'partners',
  {
    id: text('id').primaryKey(),
    platform: text('platform').notNull(),
    name: text('name').notNull(),
    /** `active` or `suspended`; a suspended partner's keys stop authenticating. */
    status: text('status').notNull().default('active'),
    phoneHashSalt: text('phone_hash_salt').notNull(),
    /** `null` uses the server-wide minimum. */
    minPayoutCents: integer('min_payout_cents'),
    payoutDestination: text('payout_destination'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [uniqueIndex('partners_platform_key').on(t.platform)],
);

/** Partner API keys, stored as SHA-256 hashes (they are high-entropy, DESIGN §4.9). */
export const partnerApiKeys = pgTable(
  'partner_api_keys',
  {
    id: text('id').primaryKey(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    keyHash: text('key_hash').notNull(),
    /** First characters of the key, to recognise it in lists. */
    prefix: text('prefix').notNull(),
    /** `env` (from `<P>_API_KEY`), `admin` (issued through the API) or `demo`. */
    source: text('source').notNull(),
    createdAt: ts('created_at').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('partner_api_keys_hash_key').on(t.keyHash), index('partner_api_keys_partner_idx').on(t.partnerId)],
);
