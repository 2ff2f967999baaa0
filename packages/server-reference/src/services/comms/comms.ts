import {
  ErrorCode,
  ErrorText,
  type Communication,
  type SendBulkCommsRequest,
  type SendCommsRequest,
} from '@careos/contract';
import { and, desc, eq, inArray, isNull, lt, type SQL } from 'drizzle-orm';
import type { RawRunner } from '../../db/database.js';
import { messages, users } from '../../db/schema/index.js';
import { decodeCursor, page } from '../../domain/cursor.js';
import { DomainError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { AuditEntry, AuditService } from '../audit.js';
import type { Actor } from '../automation.js';
import { openCard } from '../contact-card.js';
import type { ServiceContext } from '../context.js';
import type { MessageService, NewOutbound, QueuedMessage } from '../messages.js';
import { insertCommsAuditDetails, sentAction, type CommsAuditDetail } from './comms-audit.js';
import { communicationDto } from './comms-dto.js';
import { BaaRefusal, resolveContent, type ContentRequest, type ResolvedContent } from './content.js';
import type { OptOutService } from './opt-outs.js';

/** The `kind` of a message staff send through `POST /comms`. */
export const COMMS_KIND = 'comms';

/** What {@link CommsService.send} queued. */
export interface SentComms {
  communication: Communication;
  genericNotice: boolean;
  encoding: 'GSM-7' | 'UCS-2' | null;
  segments: number | null;
}

/** One recipient's outcome of {@link CommsService.sendBulk}. */
export interface BulkOutcome {
  client_id: string;
  status: 'queued' | 'opted_out' | 'invalid' | 'suppressed' | 'failed';
  id: string | null;
  code: string | null;
  reason: string | null;
}

type UserRow = typeof users.$inferSelect;

/** A recipient that passed every per-recipient check. */
interface Deliverable {
  index: number;
  clientId: string;
  to: string;
  /** Blind index of `to`, computed once and reused by the opt-out check, the outbox and the claim. */
  toBidx: string;
  language: string;
  dynamicData: Record<string, string | number | boolean | null> | null;
}

/**
 * Communications to clients: SMS and email through the one outbox (`MessageService`). Each send
 * is queued together with its HIPAA audit rows — the hash-chained `audit_log` row (`SMS_SENT` /
 * `EMAIL_SENT`: actor, client, time, IP, request id) and its `comms_audit` detail (message id; the
 * provider id once accepted) — in one transaction, and handed to the provider after commit.
 * Opted-out numbers and suppressed addresses are refused here and again at dispatch. Nothing
 * here logs or audits a body, phone or address.
 */
export class CommsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly outbox: MessageService,
    private readonly audit: AuditService,
    private readonly optOuts: OptOutService,
  ) {}

  /** Sends one SMS or email to a client (the seed's `POST /comms`). */
  async send(input: SendCommsRequest, actor: Actor): Promise<SentComms> {
    const contact = await this.#contact(input.client_id);
    const request = contentRequest(input);
    const content = await this.#resolve(request, actor, input.client_id);
    const [target] = this.#targets(input.type, [{ client_id: input.client_id }], new Map([[contact.id, contact]]));
    if (!target!.ok) throw target!.error;
    const recipient = { ...target!.recipient, dynamicData: content.body === null ? (input.dynamic_data ?? null) : null };
    const blocked = input.type === 'sms' ? await this.optOuts.optedOutIndexes([recipient.toBidx]) : await this.optOuts.suppressedIndexes([recipient.toBidx]);
    if (blocked.size > 0) {
      throw input.type === 'sms'
        ? new DomainError(ErrorCode.OPTED_OUT, ErrorText.optedOut, { message: 'The number replied STOP; nothing is sent until it replies START' })
        : new DomainError(ErrorCode.SUPPRESSED, ErrorText.suppressed, { message: 'The address bounced, reported spam or unsubscribed' });
    }
    const [queued] = await this.#queue(input.type, content, [recipient], null, actor);
    const communication = await this.get(queued!.id);
    this.outbox.enqueue(queued!);
    return { communication, genericNotice: content.genericNotice, encoding: content.size?.encoding ?? null, segments: content.size?.segments ?? null };
  }

  /** Sends one content to many clients; one outcome per recipient, in order (the seed's bulk sends). */
  async sendBulk(input: SendBulkCommsRequest, actor: Actor): Promise<{ batchId: string; content: ResolvedContent; results: BulkOutcome[] }> {
    const request = contentRequest(input);
    if (input.template_id === undefined || !/^d-/i.test(input.template_id)) {
      const withData = input.recipients.findIndex((r) => r.dynamic_data !== undefined);
      if (withData >= 0) {
        throw new DomainError(ErrorCode.VALIDATION_FAILED, ErrorText.invalidBody, {
          message: 'Per-recipient dynamic_data goes with a SendGrid template (d-…): a body or server template is the same for everyone',
          details: [{ path: `recipients.${withData}.dynamic_data`, message: 'Not used without a provider template' }],
        });
      }
    }
    const content = await this.#resolve(request, actor, null);
    const ids = [...new Set(input.recipients.map((r) => r.client_id))];
    const rows = await this.ctx.db.orm.select().from(users).where(and(inArray(users.id, ids), isNull(users.deletedAt)));
    const targets = this.#targets(input.type, input.recipients, new Map(rows.map((r) => [r.id, r])));
    const results: BulkOutcome[] = input.recipients.map((r) => ({ client_id: r.client_id, status: 'invalid', id: null, code: null, reason: null }));
    const deliverable: Deliverable[] = [];
    targets.forEach((target, index) => {
      if (target.ok) deliverable.push({ ...target.recipient, index, dynamicData: input.recipients[index]!.dynamic_data ?? null });
      else Object.assign(results[index]!, { status: 'invalid', code: target.error.code, reason: target.error.hint ?? target.error.error });
    });
    const indexes = deliverable.map((d) => d.toBidx);
    const blocked = input.type === 'sms' ? await this.optOuts.optedOutIndexes(indexes) : await this.optOuts.suppressedIndexes(indexes);
    const sendable = deliverable.filter((d) => {
      if (!blocked.has(d.toBidx)) return true;
      Object.assign(results[d.index]!, input.type === 'sms' ? { status: 'opted_out', code: ErrorCode.OPTED_OUT, reason: ErrorText.optedOut } : { status: 'suppressed', code: ErrorCode.SUPPRESSED, reason: ErrorText.suppressed });
      return false;
    });
    const batchId = newId('batch', this.ctx.clock.now());
    try {
      const queued = await this.#queue(input.type, content, sendable, batchId, actor);
      queued.forEach((q, i) => {
        const outcome = q.status === 'queued' ? { status: 'queued', id: q.id } : input.type === 'sms' ? { status: 'opted_out', id: q.id, code: ErrorCode.OPTED_OUT, reason: ErrorText.optedOut } : { status: 'suppressed', id: q.id, code: ErrorCode.SUPPRESSED, reason: ErrorText.suppressed };
        Object.assign(results[sendable[i]!.index]!, outcome);
      });
      this.outbox.enqueue(...queued);
    } catch (error) {
      // The batch could not be written: every recipient that got this far failed, none was queued.
      this.ctx.logger.error({ batch_id: batchId, err_message: (error as Error).message }, 'bulk send could not be queued');
      for (const d of sendable) Object.assign(results[d.index]!, { status: 'failed', code: ErrorCode.INTERNAL_ERROR, reason: 'The messages could not be queued; retry the send' });
    }
    return { batchId, content, results };
  }

  /**
   * One communication (the seed's `getSMSStatus`), by our id or the provider's (a Twilio `SM…`
   * sid, as the seed's function takes); 404 when unknown.
   */
  async get(id: string): Promise<Communication> {
    const byId = id.startsWith('msg_') ? eq(messages.id, id) : eq(messages.providerMessageId, id);
    const [row] = await this.ctx.db.orm.select().from(messages).where(byId).orderBy(desc(messages.id)).limit(1);
    if (!row) throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: 'No communication with this id' });
    return communicationDto(row);
  }

  /** A client's communications, newest first; 404 for an unknown client. */
  async list(filter: { clientId: string; type?: 'sms' | 'email' | undefined; limit: number; cursor?: string | undefined }): Promise<{ communications: Communication[]; nextCursor: string | null }> {
    await this.#contact(filter.clientId, { allowDeleted: true });
    const conditions: SQL[] = [eq(messages.userId, filter.clientId)];
    if (filter.cursor) conditions.push(lt(messages.id, decodeCursor(filter.cursor, 'msg')));
    if (filter.type) conditions.push(eq(messages.channel, filter.type));
    const rows = await this.ctx.db.orm.select().from(messages).where(and(...conditions)).orderBy(desc(messages.id)).limit(filter.limit + 1);
    const { items, nextCursor } = page(rows, filter.limit);
    return { communications: items.map(communicationDto), nextCursor };
  }

  /** Resolves the content; a BAA refusal is audited (with its detail row) before it is thrown. */
  async #resolve(request: ContentRequest, actor: Actor, clientId: string | null): Promise<ResolvedContent> {
    try {
      return resolveContent(request, this.ctx.config.comms);
    } catch (error) {
      if (error instanceof BaaRefusal) {
        await this.ctx.db.transaction(async (run) => {
          const [auditId] = await this.audit.appendWithin(run, [this.#entry(actor, 'BAA_REFUSED', `comms:${request.type}`, clientId, 422)]);
          await this.#details(run, [{ audit_id: auditId!, message_id: null, client_id: clientId, channel: request.type, action: 'BAA_REFUSED', detail: request.containsPhi ? 'contains_phi' : 'phi_template', provider: null }]);
        });
      }
      throw error;
    }
  }

  /** Queues the messages, their audit rows and audit details in one transaction. */
  async #queue(type: 'sms' | 'email', content: ResolvedContent, recipients: Omit<Deliverable, 'index'>[], batchId: string | null, actor: Actor): Promise<QueuedMessage[]> {
    if (recipients.length === 0) return [];
    const items: NewOutbound[] = recipients.map((r) => {
      const common = { kind: COMMS_KIND, to: r.to, toBidx: r.toBidx, language: r.language, userId: r.clientId, automated: false, authorStaffId: actor.staffId, containsPhi: content.containsPhi, genericNotice: content.genericNotice, templateId: content.templateId, batchId };
      return type === 'sms' ? { ...common, body: content.body ?? '' } : { ...common, channel: 'email' as const, subject: content.subject, body: content.body, dynamicData: r.dynamicData };
    });
    const route = content.genericNotice ? `comms:${type}:generic_notice` : `comms:${type}`;
    const provider = type === 'sms' ? this.ctx.providers.sms.name : this.ctx.providers.email.name;
    return this.ctx.db.transaction(async (run) => {
      const queued = await this.outbox.insertQueuedMany(run, items, { audited: true });
      const written = queued.filter((q) => q.status === 'queued');
      const auditIds = await this.audit.appendWithin(run, written.map((q) => this.#entry(actor, sentAction(type), route, q.userId, 201)));
      await this.#details(
        run,
        written.map((q, i) => ({ audit_id: auditIds[i]!, message_id: q.id, client_id: q.userId, channel: type, action: sentAction(type), detail: content.genericNotice ? 'generic_notice' : null, provider })),
      );
      return queued;
    });
  }

  #entry(actor: Actor, method: string, route: string, clientId: string | null, status: number): AuditEntry {
    return { actorType: 'staff', actorId: actor.staffId, partnerId: null, method, route, subjectType: clientId ? 'contact' : null, subjectId: clientId, status, ip: actor.ip, requestId: actor.requestId };
  }

  #details(run: RawRunner, rows: CommsAuditDetail[]): Promise<void> {
    return insertCommsAuditDetails(run, rows, this.ctx.clock.now());
  }

  /** Each recipient's address for the channel, or why there is none (unknown client, no phone, no email). */
  #targets(type: 'sms' | 'email', recipients: { client_id: string }[], contacts: Map<string, UserRow>): ({ ok: true; recipient: Omit<Deliverable, 'index' | 'dynamicData'> } | { ok: false; error: DomainError })[] {
    return recipients.map((r) => {
      const row = contacts.get(r.client_id);
      if (!row || row.deletedAt) return { ok: false, error: new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: 'No client with this id' }) };
      const card = openCard(row, this.ctx.phi);
      const to = type === 'sms' ? card.phone : card.email;
      if (to === null) {
        return {
          ok: false,
          error: type === 'sms' ? new DomainError(ErrorCode.NO_PHONE, ErrorText.noPhone, { message: 'Add a phone to the contact to text them' }) : new DomainError(ErrorCode.NO_EMAIL, ErrorText.noEmail, { message: 'Add an email address to the contact to email them' }),
        };
      }
      // The recipient's blind index, once: the opt-out check, the outbox row and the claim all use it.
      const toBidx = type === 'sms' ? this.ctx.phi.blind.phone(to) : this.ctx.phi.blind.email(to);
      return { ok: true, recipient: { clientId: row.id, to, toBidx, language: row.language } };
    });
  }

  async #contact(id: string, options: { allowDeleted?: boolean } = {}): Promise<UserRow> {
    const [row] = await this.ctx.db.orm.select().from(users).where(eq(users.id, id));
    if (!row || (row.deletedAt && !options.allowDeleted)) throw new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: 'No client with this id' });
    return row;
  }
}

function contentRequest(input: SendCommsRequest | SendBulkCommsRequest): ContentRequest {
  return {
    type: input.type,
    subject: input.subject,
    body: input.body,
    templateId: input.template_id,
    dynamicData: 'dynamic_data' in input ? input.dynamic_data : undefined,
    containsPhi: input.contains_phi,
    onBaaMissing: input.on_baa_missing,
  };
}
