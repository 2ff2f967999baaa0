import { index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { encrypted, ts } from './columns.js';

/** Stored outcomes of POSTs sent with `Idempotency-Key` (DESIGN §4.3), per credential. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    /** The credential the key belongs to, e.g. `partner:ptn_…` or `staff:staff_…`. */
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    /** SHA-256 of method, route and canonical body (without the route's `fingerprintExcludes`). */
    fingerprint: text('fingerprint').notNull(),
    /** `in_progress` or `completed`. */
    state: text('state').notNull(),
    responseStatus: integer('response_status'),
    /** The response body's JSON, sealed: responses can carry PHI (a created patient, a client's name). */
    responseBodyEnc: encrypted('response_body_enc'),
    lockedAt: ts('locked_at').notNull(),
    /** Instance running the request while `in_progress`; once it is dead (see `instances`) a retry takes the key over. */
    lockedBy: text('locked_by'),
    expiresAt: ts('expires_at').notNull(),
    createdAt: ts('created_at').notNull(),
    /** @deprecated Plaintext before field encryption; emptied at start. */
    responseBody: jsonb('response_body'),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index('idempotency_keys_expires_idx').on(t.expiresAt)],
);
