import { index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';
import { staffUsers } from './staff.js';

/**
 * Refresh tokens of staff sessions. A login starts a family; each refresh spends one token and
 * adds the next to the same family, so presenting a spent token (a copy) can revoke them all.
 * Only a SHA-256 of each token is kept: the table alone lets nobody refresh.
 */
export const staffRefreshTokens = pgTable(
  'staff_refresh_tokens',
  {
    id: text('id').primaryKey(),
    /** One login: every token refreshed from it shares this id. */
    familyId: text('family_id').notNull(),
    staffId: text('staff_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    /** base64url SHA-256 of the token. */
    tokenHash: text('token_hash').notNull(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    /** Set when exchanged for the next token; a second exchange is a reuse. */
    spentAt: ts('spent_at'),
    /** Set on logout or on reuse, for every token of the family. */
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('staff_refresh_tokens_hash_key').on(t.tokenHash), index('staff_refresh_tokens_family_idx').on(t.familyId)],
);
