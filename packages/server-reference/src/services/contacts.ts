import { ErrorCode, ErrorText, type Contact } from '@careos/contract';
import { and, arrayContains, desc, eq, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { users } from '../db/schema/index.js';
import { textArray } from '../db/sql-arrays.js';
import { decodeCursor, page } from '../domain/cursor.js';
import { DomainError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { welcomeMessage } from '../messages/welcome-templates.js';
import { contactDto, contactEmail, contactExists, contactPhone, openCard, sealCard, type ContactCard } from './contact-card.js';
import type { Actor, AutomationService } from './automation.js';
import type { ServiceContext } from './context.js';
import type { MessageService } from './messages.js';
import { sqlState } from '../db/sql-state.js';

/** Source of the contacts staff add (partner-referred people have `<platform>_referral`). */
export const MANUAL_SOURCE = 'manual';
/** Rows indexed per statement when start-up indexes the names of older users. */
const INDEX_BATCH = 500;

/** Input of {@link ContactService.create}; phone and email as entered. */
export interface CreateContactInput {
  name: string;
  phone?: string;
  email?: string;
  notes?: string;
  language: string;
}

/** Input of {@link ContactService.update}: `undefined` keeps a field, `null` clears it. */
export interface UpdateContactInput {
  name?: string;
  phone?: string | null;
  email?: string | null;
  notes?: string | null;
  language?: string;
  /** `true` pauses automated messages (resuming is {@link AutomationService.resume}, for admins). */
  automationPaused?: true;
}

/** Query of {@link ContactService.list}; the filters combine with AND. */
export interface ListContactsInput {
  limit: number;
  cursor?: string;
  name?: string;
  email?: string;
  phone?: string;
  source?: string;
}

function notFound(): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: 'No contact with this id' });
}

/**
 * Contacts: the people CareOS serves, stored in `users` — the same rows lead ingestion creates,
 * so a partner's referred person is a contact whose source names the partner. A contact created
 * with a phone gets the welcome SMS, queued in the insert's transaction and sent after commit by
 * the outbox (a provider failure marks the message failed and raises an alert; the contact
 * stands). A phone belongs to one contact: a second is refused, and a lead for the phone finds
 * the contact and welcomes no one. Names, phones, emails and notes are sealed; search runs on
 * their blind indexes.
 */
export class ContactService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly messages: MessageService,
    private readonly automation: AutomationService,
  ) {}

  /** Creates a contact and, when it has a phone, queues its welcome SMS. */
  async create(input: CreateContactInput): Promise<{ contact: Contact; welcomeMessageId: string | null }> {
    const { ctx } = this;
    const card: ContactCard = {
      name: input.name.trim(),
      phone: input.phone === undefined ? null : contactPhone(input.phone, this.#country()),
      email: contactEmail(input.email ?? null),
      notes: input.notes ?? null,
    };
    const sealed = sealCard(card, ctx.phi);
    const now = ctx.clock.now();
    const id = newId('user', now);
    const row = { id, ...sealed, language: input.language, source: MANUAL_SOURCE, automationPaused: false, createdAt: now, updatedAt: null, deletedAt: null, phoneE164: null, name: null };

    const welcome = await ctx.db.transaction(async (run) => {
      const inserted = await run<{ id: string }>(sql`
        insert into users (id, phone_bidx, profile_enc, email_bidx, name_tokens, language, source, created_at)
        values (${id}, ${sealed.phoneBidx}, ${sealed.profileEnc}, ${sealed.emailBidx}, ${textArray(sealed.nameTokens)}::text[], ${input.language}, ${MANUAL_SOURCE}, ${now.toISOString()}::timestamptz)
        on conflict (phone_bidx) do nothing
        returning id`);
      if (inserted.length === 0) {
        // Asked inside the transaction: on PGlite it holds the one connection until it ends.
        const [owner] = await run<{ id: string }>(sql`select id from users where phone_bidx = ${sealed.phoneBidx}`);
        throw contactExists(owner?.id ?? 'another contact');
      }
      if (card.phone === null) return null;
      const text = welcomeMessage(input.language, card.name, null);
      return this.messages.insertQueued(run, { kind: 'welcome', to: card.phone, body: text.body, language: text.language, userId: id });
    });
    if (welcome) this.messages.enqueue(welcome);
    return { contact: contactDto(row, card), welcomeMessageId: welcome?.id ?? null };
  }

  /** Contacts, newest first, filtered by source and searched by blind index. */
  async list(input: ListContactsInput): Promise<{ contacts: Contact[]; nextCursor: string | null }> {
    const { phi } = this.ctx;
    const conditions: (SQL | undefined)[] = [isNull(users.deletedAt)];
    if (input.cursor) conditions.push(lt(users.id, decodeCursor(input.cursor, 'user')));
    if (input.source) conditions.push(eq(users.source, input.source));
    if (input.phone) conditions.push(eq(users.phoneBidx, phi.blind.phone(contactPhone(input.phone, this.#country()))));
    if (input.email) conditions.push(eq(users.emailBidx, phi.blind.email(input.email)));
    if (input.name) {
      const tokens = phi.blind.nameTokens(input.name);
      // A name with no letters or digits names no word: it matches nothing, not everything.
      if (tokens.length === 0) return { contacts: [], nextCursor: null };
      conditions.push(arrayContains(users.nameTokens, tokens));
    }
    const rows = await this.ctx.db.orm.select().from(users).where(and(...conditions)).orderBy(desc(users.id)).limit(input.limit + 1);
    const { items, nextCursor } = page(rows, input.limit);
    return { nextCursor, contacts: items.map((row) => contactDto(row, openCard(row, phi))) };
  }

  /** One contact, or 404 (deleted contacts are gone). */
  async get(id: string): Promise<Contact> {
    const row = await this.#find(id);
    return contactDto(row, openCard(row, this.ctx.phi));
  }

  /**
   * Changes a contact; a phone that belongs to another contact is a 409. Sends nothing. Pausing
   * automation is audited as `actor`'s decision; messages already queued are then cancelled by
   * the outbox when it claims them.
   */
  async update(id: string, input: UpdateContactInput, actor: Actor): Promise<Contact> {
    const { ctx } = this;
    const row = await this.#find(id);
    const current = openCard(row, ctx.phi);
    const card: ContactCard = {
      name: input.name === undefined ? current.name : input.name.trim(),
      phone: input.phone === undefined ? current.phone : input.phone === null ? null : contactPhone(input.phone, this.#country()),
      email: input.email === undefined ? current.email : contactEmail(input.email),
      notes: input.notes === undefined ? current.notes : input.notes,
    };
    if (card.phone === null && card.email === null) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, ErrorText.invalidBody, {
        message: 'A contact keeps a phone or an email',
        details: [{ path: input.phone === null ? 'phone' : 'email', message: 'Cannot clear the last way to reach the contact' }],
      });
    }
    const sealed = sealCard(card, ctx.phi);
    if (sealed.phoneBidx !== null && sealed.phoneBidx !== row.phoneBidx) {
      const owner = await this.#phoneOwner(sealed.phoneBidx);
      if (owner) throw contactExists(owner);
    }
    const changes = {
      ...sealed,
      language: input.language ?? row.language,
      automationPaused: input.automationPaused ?? row.automationPaused,
      updatedAt: ctx.clock.now(),
    };
    let updated: (typeof users.$inferSelect)[];
    try {
      updated = await ctx.db.orm.update(users).set(changes).where(and(eq(users.id, id), isNull(users.deletedAt))).returning();
    } catch (error) {
      // A unique violation: another request took the phone between the check and the write.
      if (sqlState(error, '23505') && sealed.phoneBidx) throw contactExists((await this.#phoneOwner(sealed.phoneBidx)) ?? 'another contact');
      throw error;
    }
    if (!updated[0]) throw notFound();
    if (input.automationPaused && !row.automationPaused) this.automation.recordPause(actor, id, { paused: true, cancelled: [] });
    return contactDto(updated[0], card);
  }

  /**
   * Deletes a contact by erasing it: the card and every blind index go, the row stays as a
   * tombstone because leads (partner billing) and sent messages refer to its id. The phone is
   * free again, so a later lead for it creates (and welcomes) a new person.
   */
  async delete(id: string): Promise<void> {
    const now = this.ctx.clock.now();
    const erased = await this.ctx.db.orm
      .update(users)
      .set({ profileEnc: null, phoneBidx: null, emailBidx: null, nameTokens: [], deletedAt: now, updatedAt: now })
      .where(and(eq(users.id, id), isNull(users.deletedAt)))
      .returning({ id: users.id });
    if (erased.length === 0) throw notFound();
  }

  /**
   * Gives users written before contacts existed their name tokens (start-up; a no-op once done).
   * Lead ingestion writes the tokens itself, so only older rows are ever found here.
   */
  async indexNames(): Promise<number> {
    const { db, phi } = this.ctx;
    let total = 0;
    for (;;) {
      const rows = await db.orm
        .select({ id: users.id, profileEnc: users.profileEnc })
        .from(users)
        .where(and(isNull(users.nameTokens), sql`${users.profileEnc} is not null`))
        .limit(INDEX_BATCH);
      if (rows.length === 0) return total;
      const tokens = rows.map((row) => ({ id: row.id, tokens: phi.blind.nameTokens(openCard(row, phi).name) }));
      await db.rows(sql`
        update users as u set name_tokens = array(select jsonb_array_elements_text(t.tokens))
          from jsonb_to_recordset(${JSON.stringify(tokens)}::jsonb) as t(id text, tokens jsonb)
         where u.id = t.id`);
      total += rows.length;
    }
  }

  async #find(id: string): Promise<typeof users.$inferSelect> {
    const [row] = await this.ctx.db.orm.select().from(users).where(and(eq(users.id, id), isNull(users.deletedAt)));
    if (!row) throw notFound();
    return row;
  }

  async #phoneOwner(phoneBidx: string): Promise<string | null> {
    const [row] = await this.ctx.db.orm.select({ id: users.id }).from(users).where(eq(users.phoneBidx, phoneBidx));
    return row?.id ?? null;
  }


  #country() {
    return this.ctx.config.defaultCountry as NonNullable<Parameters<typeof contactPhone>[1]>;
  }
}
