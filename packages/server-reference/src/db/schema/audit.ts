import { bigint, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/**
 * One row per call to an audited route, or per privileged action outside HTTP (DESIGN §4.10):
 * who, what, whom, outcome — never PHI. Append-only (a trigger refuses UPDATE, DELETE and
 * TRUNCATE) and hash-chained: `hash` covers the row's fields and `prev_hash`, the hash of the
 * row at `seq - 1` (see services/audit-chain.ts for the exact encoding).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    /** Position in the chain: 1, 2, 3, … without gaps, assigned under a lock when appending. */
    seq: bigint('seq', { mode: 'number' }).notNull(),
    /** `staff`, `partner`, `integration`, `lookup`, `system` or `anonymous`. */
    actorType: text('actor_type').notNull(),
    /** API key id or staff id. */
    actorId: text('actor_id'),
    partnerId: text('partner_id'),
    /** For integration calls: the therapist the token acts for. */
    onBehalfOf: text('on_behalf_of'),
    method: text('method').notNull(),
    /** Route template, e.g. `/api/leads/{leadId}`. */
    route: text('route').notNull(),
    /** Person or record accessed, e.g. `user` + `user_…`. */
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    status: integer('status').notNull(),
    ip: text('ip'),
    requestId: text('request_id').notNull(),
    createdAt: ts('created_at').notNull(),
    /** `hash` of the row at `seq - 1`; 64 zeros for the first row. */
    prevHash: text('prev_hash').notNull(),
    /** Hex SHA-256 over `prev_hash` and this row's fields. */
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_log_subject_idx').on(t.subjectId), uniqueIndex('audit_log_seq_idx').on(t.seq), index('audit_log_actor_idx').on(t.actorId)],
);
