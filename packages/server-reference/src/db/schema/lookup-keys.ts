import { pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/** CCaaS lookup API keys, stored as SHA-256 hashes (they are high-entropy, DESIGN §4.9). */
export const lookupApiKeys = pgTable(
  'lookup_api_keys',
  {
    id: text('id').primaryKey(),
    /** What the key is for, e.g. "Genesys production". */
    name: text('name').notNull(),
    keyHash: text('key_hash').notNull(),
    /** First characters of the key, to recognise it in lists. */
    prefix: text('prefix').notNull(),
    /** `env` (from `CAREOS_LOOKUP_API_KEYS`), `admin` (issued through the API) or `demo`. */
    source: text('source').notNull(),
    createdAt: ts('created_at').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('lookup_api_keys_hash_key').on(t.keyHash)],
);
