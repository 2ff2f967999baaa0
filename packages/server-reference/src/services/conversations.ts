import { ErrorCode, ErrorText, type Message, type MessageStatus } from '@careos/contract';
import { and, desc, eq, isNull, lt, type SQL } from 'drizzle-orm';
import { messages, users } from '../db/schema/index.js';
import { decodeCursor, page } from '../domain/cursor.js';
import { DomainError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { Actor, AutomationService } from './automation.js';
import { openCard } from './contact-card.js';
import type { ServiceContext } from './context.js';
import type { MessageContent } from './lead-write.js';
import { messageDto } from './message-dto.js';
import type { MessageService } from './messages.js';

/** `provider` of an inbound message: staff recorded it; no provider carried it to us. */
const RECORDED = 'recorded';

/** Filters of {@link ConversationService.list}; they combine with AND. */
export interface MessageFilter {
  limit: number;
  cursor?: string;
  contactId?: string;
  leadId?: string;
  direction?: 'outbound' | 'inbound';
  status?: MessageStatus;
  kind?: string;
  automated?: boolean;
}

/** Input of {@link ConversationService.create}. */
export interface NewConversationMessage {
  contactId: string;
  body: string;
  direction: 'outbound' | 'inbound';
}

/** What {@link ConversationService.create} did. */
export interface CreatedMessage {
  message: Message;
  automationPaused: boolean;
  /** Automated messages the reply cancelled. */
  cancelled: string[];
}

function noContact(): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: 'No contact with this id' });
}

/**
 * The conversation with a contact: staff replies, sent through the outbox, and the messages the
 * contact sent, recorded. A reply stops automation for the contact in the same transaction as
 * it is queued (see {@link AutomationService}). Texts are sealed in `messages.content_enc` like
 * every message's; nothing here logs them.
 */
export class ConversationService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly outbox: MessageService,
    private readonly automation: AutomationService,
  ) {}

  /**
   * Sends a staff reply — queued, the contact's automation paused and their queued automated
   * messages cancelled, all in one transaction, then sent after commit — or records an inbound
   * message. 404 for an unknown contact, 409 `NO_PHONE` for one without a phone.
   */
  async create(input: NewConversationMessage, actor: Actor): Promise<CreatedMessage> {
    const { ctx } = this;
    const contact = await this.#contact(input.contactId);
    const phone = openCard(contact, ctx.phi).phone;
    if (phone === null) {
      throw new DomainError(ErrorCode.NO_PHONE, ErrorText.noPhone, { message: 'Messages go by SMS: give the contact a phone first' });
    }
    if (input.direction === 'inbound') {
      const id = await this.#recordInbound(contact.id, phone, input.body, contact.language, actor);
      return { message: await this.#get(id), automationPaused: contact.automationPaused, cancelled: [] };
    }
    const { reply, pause } = await ctx.db.transaction(async (run) => {
      const pause = await this.automation.pause(run, contact.id);
      const reply = await this.outbox.insertQueued(run, {
        kind: 'reply',
        to: phone,
        body: input.body,
        language: contact.language,
        userId: contact.id,
        automated: false,
        authorStaffId: actor.staffId,
      });
      return { reply, pause };
    });
    this.automation.recordPause(actor, contact.id, pause);
    // Read before it is handed to the sender, so the answer shows it as queued.
    const message = await this.#get(reply.id);
    this.outbox.enqueue(reply);
    return { message, automationPaused: true, cancelled: pause.cancelled };
  }

  /** Messages, newest first, filtered. */
  async list(filter: MessageFilter): Promise<{ messages: Message[]; nextCursor: string | null }> {
    const conditions: SQL[] = [];
    if (filter.cursor) conditions.push(lt(messages.id, decodeCursor(filter.cursor, 'msg')));
    if (filter.contactId) conditions.push(eq(messages.userId, filter.contactId));
    if (filter.leadId) conditions.push(eq(messages.leadId, filter.leadId));
    if (filter.direction) conditions.push(eq(messages.direction, filter.direction));
    if (filter.status) conditions.push(eq(messages.status, filter.status));
    if (filter.kind) conditions.push(eq(messages.kind, filter.kind));
    if (filter.automated !== undefined) conditions.push(eq(messages.automated, filter.automated));
    const rows = await this.ctx.db.orm
      .select()
      .from(messages)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(messages.id))
      .limit(filter.limit + 1);
    const { items, nextCursor } = page(rows, filter.limit);
    return { nextCursor, messages: items.map((row) => messageDto(row, this.ctx.phi.cipher)) };
  }

  /** One contact's conversation, newest first; 404 for an unknown (or deleted) contact. */
  async forContact(contactId: string, filter: Omit<MessageFilter, 'contactId'>): Promise<{ messages: Message[]; nextCursor: string | null }> {
    await this.#contact(contactId);
    return this.list({ ...filter, contactId });
  }

  async #recordInbound(contactId: string, phone: string, body: string, language: string, actor: Actor): Promise<string> {
    const { ctx } = this;
    const now = ctx.clock.now();
    const id = newId('msg', now);
    await ctx.db.orm.insert(messages).values({
      id,
      channel: 'sms',
      direction: 'inbound',
      kind: 'inbound',
      automated: false,
      authorStaffId: actor.staffId,
      contentEnc: ctx.phi.cipher.sealJson(messages.contentEnc, { to: phone, body } satisfies MessageContent),
      language,
      status: 'received',
      provider: RECORDED,
      userId: contactId,
      createdAt: now,
    });
    return id;
  }

  async #contact(id: string): Promise<typeof users.$inferSelect> {
    const [row] = await this.ctx.db.orm.select().from(users).where(and(eq(users.id, id), isNull(users.deletedAt)));
    if (!row) throw noContact();
    return row;
  }

  async #get(id: string): Promise<Message> {
    const [row] = await this.ctx.db.orm.select().from(messages).where(eq(messages.id, id));
    return messageDto(row!, this.ctx.phi.cipher);
  }
}
