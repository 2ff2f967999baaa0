import { ErrorCode, ErrorText } from '@careos/contract';
import { sql } from 'drizzle-orm';
import type { RawRunner } from '../db/database.js';
import { DomainError } from '../domain/errors.js';
import type { AuditService } from './audit.js';
import type { ServiceContext } from './context.js';

/** Who made a decision, for its audit rows: ids only. */
export interface Actor {
  staffId: string;
  /** The request the decision was made in: its audit rows share the route's request id. */
  requestId: string;
  ip: string | null;
}

/** What pausing a contact's automation did. */
export interface PauseOutcome {
  /** False when it was paused already. */
  paused: boolean;
  /** Automated messages still queued for the contact, now cancelled. */
  cancelled: string[];
}

/** The audit rows' route name for automation decisions (beside the HTTP route's own row). */
const AUDIT_ROUTE = 'automation';

/**
 * Whether automated messages (welcome, booking confirmation and reminders) go to a contact. A
 * staff reply pauses them and cancels those still queued; only an admin resumes them. The flag
 * is `users.automation_paused`; the outbox enforces it when it queues a message and again when
 * it claims one for sending (see MessageService). Every decision leaves audit rows naming the
 * contact and the cancelled messages by id — never what they said.
 */
export class AutomationService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
  ) {}

  /**
   * Pauses a contact's automation inside the caller's transaction and cancels the automated
   * messages still queued for them (status `cancelled`, reason `staff_reply`), in one statement.
   * A message the dispatcher claimed first (`sending`) is past stopping and is left alone.
   */
  async pause(run: RawRunner, contactId: string): Promise<PauseOutcome> {
    const now = this.ctx.clock.now().toISOString();
    const rows = await run<{ what: 'paused' | 'cancelled'; id: string }>(sql`
      with paused as (
        update users set automation_paused = true, updated_at = ${now}::timestamptz
         where id = ${contactId} and deleted_at is null and not automation_paused
        returning id
      ), locked as (
        -- In id order, as the outbox's claim locks them: taken in any other order, the two
        -- could each hold a row the other waits for, and PostgreSQL would abort one.
        select id from messages where user_id = ${contactId} and automated and status = 'queued' order by id for update
      ), cancelled as (
        update messages m set status = 'cancelled', cancel_reason = 'staff_reply', locked_until = null
          from locked where m.id = locked.id and m.status = 'queued'
        returning m.id
      )
      select 'paused' as what, id from paused
      union all
      select 'cancelled' as what, id from cancelled`);
    return { paused: rows.some((r) => r.what === 'paused'), cancelled: rows.filter((r) => r.what === 'cancelled').map((r) => r.id).sort() };
  }

  /**
   * Resumes a contact's automation. Messages cancelled meanwhile stay cancelled: what was due
   * then is stale now. Returns false when it was not paused; 404 for an unknown contact.
   */
  async resume(contactId: string, actor: Actor): Promise<boolean> {
    const now = this.ctx.clock.now().toISOString();
    const resumed = await this.ctx.db.rows<{ id: string }>(sql`
      update users set automation_paused = false, updated_at = ${now}::timestamptz
       where id = ${contactId} and deleted_at is null and automation_paused
      returning id`);
    if (resumed.length === 0) {
      const [exists] = await this.ctx.db.rows<{ id: string }>(sql`select id from users where id = ${contactId} and deleted_at is null`);
      if (!exists) throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: 'No contact with this id' });
      return false;
    }
    this.#record(actor, 'RESUME', 'contact', contactId);
    return true;
  }

  /** Audits a pause (when it changed anything) and each message it cancelled. */
  recordPause(actor: Actor, contactId: string, outcome: PauseOutcome): void {
    if (outcome.paused) this.#record(actor, 'PAUSE', 'contact', contactId);
    for (const id of outcome.cancelled) this.#record(actor, 'CANCEL', 'message', id);
  }

  #record(actor: Actor, method: 'PAUSE' | 'RESUME' | 'CANCEL', subjectType: string, subjectId: string): void {
    this.audit.record({
      actorType: 'staff',
      actorId: actor.staffId,
      partnerId: null,
      method,
      route: AUDIT_ROUTE,
      subjectType,
      subjectId,
      status: 200,
      ip: actor.ip,
      requestId: actor.requestId,
    });
  }
}
