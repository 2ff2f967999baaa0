import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

/** One row per call to an audited route (DESIGN §4.10): who, what, whom, outcome — never PHI. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    /** `partner`, `staff` or `anonymous`. */
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
  },
  (t) => [index('audit_log_subject_idx').on(t.subjectId)],
);
