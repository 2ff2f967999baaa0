import { index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { encrypted, ts } from './columns.js';
import { staffUsers } from './staff.js';

/**
 * A staff member's connected calendar (the seed's `calendar_integrations`): one row per
 * (staff member, provider). The OAuth tokens are sealed together by the shared field cipher
 * (`tokens_enc`, JSON of `{ access_token, refresh_token }`, key id in the value so keys rotate),
 * never logged and never returned; only their expiry is in the clear, so refreshes can be planned.
 */
export const calendarIntegrations = pgTable(
  'calendar_integrations',
  {
    id: text('id').primaryKey(),
    staffId: text('staff_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    /** `google` or `microsoft`. */
    provider: text('provider').notNull(),
    /** `connected`, or `needs_reauth` once the provider refused the refresh token (`invalid_grant`). */
    status: text('status').notNull(),
    tokensEnc: encrypted('tokens_enc').notNull(),
    /** When the access token stops working (from the provider's `expires_in`). */
    accessExpiresAt: ts('access_expires_at').notNull(),
    /** Scopes the provider granted, space-separated as OAuth writes them. */
    scopes: text('scopes').notNull(),
    connectedAt: ts('connected_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [uniqueIndex('calendar_integrations_staff_provider_key').on(t.staffId, t.provider)],
);

/**
 * Pending OAuth consents: the single-use `state` of a connect, bound to the staff member and
 * provider, with the PKCE verifier sealed (it would let whoever holds the code redeem it).
 * The state itself is stored as a SHA-256, so the table alone cannot complete a consent.
 */
export const calendarOauthStates = pgTable(
  'calendar_oauth_states',
  {
    /** base64url SHA-256 of the state sent to the provider. */
    stateHash: text('state_hash').primaryKey(),
    staffId: text('staff_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    provider: text('provider').notNull(),
    verifierEnc: encrypted('verifier_enc').notNull(),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('calendar_oauth_states_expires_idx').on(t.expiresAt)],
);
