import { z } from 'zod';
import { ListQuery, NextCursor, Timestamp } from '../common.js';

/** A SHA-256 digest in lower-case hex. */
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'Must be 64 lower-case hex characters');

/**
 * One audit row (DESIGN §4.10): who did what to which record, and how it ended. Ids and
 * metadata only, never PHI. `hash` chains the row to the one before it (see the server's
 * README for the exact encoding, so an auditor can recompute it).
 */
export const AuditRecord = z
  .object({
    seq: z.number().int().positive().describe('Position in the hash chain (1, 2, 3, …); gap-free'),
    id: z.string(),
    actor_type: z.string().describe('`staff`, `partner`, `integration`, `lookup`, `system` or `anonymous`'),
    actor_id: z.string().nullable().describe('Staff account id or API key id; null when nobody authenticated'),
    partner_id: z.string().nullable(),
    on_behalf_of: z.string().nullable().describe('Integration calls: the therapist the token acts for'),
    method: z.string().describe('HTTP method, or the action of a non-HTTP entry (e.g. `RUN`)'),
    route: z.string().describe('Route template (never the concrete URL), or the name of a non-HTTP action'),
    subject_type: z.string().nullable(),
    subject_id: z.string().nullable().describe('The person or record acted on'),
    status: z.number().int(),
    ip: z.string().nullable(),
    request_id: z.string(),
    created_at: Timestamp,
    prev_hash: Sha256Hex.describe('`hash` of the row before (64 zeros for the first row)'),
    hash: Sha256Hex,
  })
  .meta({ id: 'AuditRecord' });

/** Parsed audit row. */
export type AuditRecord = z.infer<typeof AuditRecord>;

/** Query of `GET /admin/audit`: a page, optionally only one actor's or one subject's rows. */
export const AuditLogQuery = ListQuery.extend({
  actor_id: z.string().min(1).max(128).optional().describe('Only rows of this staff account or API key'),
  subject_id: z.string().min(1).max(128).optional().describe('Only rows about this person or record'),
});

/** A page of audit rows, newest first. */
export const AuditLogList = z.object({ entries: z.array(AuditRecord), next_cursor: NextCursor }).meta({ id: 'AuditLogList' });

/** Why a link of the chain is broken. */
export const AuditBreakReason = z
  .enum(['hash_mismatch', 'prev_hash_mismatch', 'seq_gap'])
  .describe(
    '`hash_mismatch`: the row is not what was written (edited); `prev_hash_mismatch`: it does not follow the row before ' +
      '(a row was replaced, or rehashed after an edit); `seq_gap`: rows before it are missing (deleted).',
  );

/** Result of walking the audit chain. */
export const AuditVerifyResponse = z
  .object({
    ok: z.boolean().describe('true when every row checked is intact and linked to the one before'),
    rows_checked: z.number().int().nonnegative(),
    head: z
      .object({ seq: z.number().int().positive(), hash: Sha256Hex })
      .nullable()
      .describe('The last row checked; keep it elsewhere to detect, later, rows removed from the end'),
    first_broken: z
      .object({ seq: z.number().int().positive(), id: z.string(), reason: AuditBreakReason, message: z.string() })
      .optional()
      .describe('The first row where the chain breaks (absent when ok)'),
  })
  .meta({ id: 'AuditVerifyResponse' });

/** Parsed result of walking the audit chain. */
export type AuditVerifyResponse = z.infer<typeof AuditVerifyResponse>;
