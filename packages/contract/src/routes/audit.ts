import { AuditLogList, AuditLogQuery, AuditVerifyResponse } from '../schemas/audit.js';
import { defineRoute } from '../route.js';
import { adminErrors, listErrors } from './shared.js';

/** The tamper-evident audit log. */
export const auditRoutes = {
  listAuditLog: defineRoute({
    id: 'listAuditLog',
    method: 'GET',
    path: '/admin/audit',
    summary: 'Audit rows, newest first: who did what to which record, and how it ended (never PHI)',
    tags: ['Admin', 'Audit'],
    auth: 'staffJwt',
    roles: ['admin'],
    query: AuditLogQuery,
    status: 200,
    response: AuditLogList,
    errors: { ...listErrors, ...adminErrors },
  }),

  verifyAuditLog: defineRoute({
    id: 'verifyAuditLog',
    method: 'GET',
    path: '/admin/audit/verify',
    summary: 'Walk the audit hash chain and report the first broken link, if any',
    description:
      'Recomputes every row’s hash from its fields and the previous row’s hash, in order. A row edited, removed or ' +
      'inserted in the database breaks the chain there; `first_broken` names it. Rows removed from the end are not ' +
      'detectable from the chain alone: compare `head` with one kept elsewhere.',
    tags: ['Admin', 'Audit'],
    auth: 'staffJwt',
    roles: ['admin'],
    status: 200,
    response: AuditVerifyResponse,
    errors: adminErrors,
  }),
} as const;
