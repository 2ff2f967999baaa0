import { sql } from 'drizzle-orm';
import type { RawRunner } from '../../db/database.js';
import type { AuditEntry, AuditService } from '../audit.js';
import type { OutboxRow } from '../outbox-sql.js';

/** One `comms_audit` row: the ids an `SMS_SENT` / `EMAIL_SENT` / `BAA_REFUSED` audit row cannot hold. */
export interface CommsAuditDetail {
  audit_id: string;
  message_id: string | null;
  client_id: string | null;
  channel: string;
  action: string;
  /** `generic_notice`, `contains_phi`, `phi_template`, or null. */
  detail: string | null;
  provider: string | null;
}

/** The audit method of a sent message of this channel. */
export function sentAction(channel: 'sms' | 'email'): 'SMS_SENT' | 'EMAIL_SENT' {
  return channel === 'sms' ? 'SMS_SENT' : 'EMAIL_SENT';
}

/** Writes audit details inside the caller's transaction, in one statement. */
export async function insertCommsAuditDetails(run: RawRunner, rows: CommsAuditDetail[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await run(sql`
    insert into comms_audit (audit_id, message_id, client_id, channel, action, detail, provider, created_at)
    select audit_id, message_id, client_id, channel, action, detail, provider, ${now.toISOString()}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(audit_id text, message_id text, client_id text, channel text, action text, detail text, provider text)`);
}

/**
 * A queued message as its audit rows need it: an outbox row, or a welcome the lead batch
 * statement wrote. `partner_id` and `ip` name the request that caused an automated message
 * (a partner's lead ingestion), when one did.
 */
export type AuditedMessage = Pick<OutboxRow, 'id' | 'channel' | 'kind' | 'automated' | 'author_staff_id' | 'user_id' | 'generic_notice' | 'provider'> & {
  partner_id?: string | null;
  ip?: string | null;
};

/**
 * The audit entry of a queued message (see {@link auditQueuedRows}): actor the staff author or
 * `system`, subject the contact, the message id as correlation id, route `automation:<kind>`
 * (`outbox:<kind>` for a person's message) with `:generic_notice` appended when the notice
 * replaced the text, and the partner and IP of the request that caused it, if any.
 */
export function queuedAuditEntry(row: AuditedMessage): AuditEntry {
  return {
    actorType: row.author_staff_id ? 'staff' : 'system',
    actorId: row.author_staff_id,
    partnerId: row.partner_id ?? null,
    method: sentAction(row.channel),
    route: `${row.automated ? 'automation' : 'outbox'}:${row.kind}${row.generic_notice ? ':generic_notice' : ''}`,
    subjectType: row.user_id ? 'contact' : null,
    subjectId: row.user_id,
    status: 201,
    ip: row.ip ?? null,
    requestId: row.id,
  };
}

/**
 * Audits messages an automation (or a staff action outside `POST /comms`) queued, inside the
 * queueing transaction: one chained row each ({@link queuedAuditEntry}) plus its `comms_audit`
 * detail. Ids only, never the text or the recipient. (The lead batch statement writes its
 * welcomes' rows itself, with the same entries.)
 */
export async function auditQueuedRows(run: RawRunner, audit: AuditService, rows: AuditedMessage[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  const entries = rows.map(queuedAuditEntry);
  const auditIds = await audit.appendWithin(run, entries);
  await insertCommsAuditDetails(
    run,
    rows.map((row, i) => ({ audit_id: auditIds[i]!, message_id: row.id, client_id: row.user_id, channel: row.channel, action: sentAction(row.channel), detail: row.generic_notice ? 'generic_notice' : null, provider: row.provider })),
    now,
  );
}
