import { ErrorCode, ErrorText, type Booking, type BookingStatus } from '@careos/contract';
import { and, asc, eq, gt, isNull, lt, ne, sql, type SQL } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { RawRunner, Tx } from '../db/database.js';
import { bookings, staffUsers, users } from '../db/schema/index.js';
import { DomainError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { bookingMessage, type BookingMessageKind } from '../messages/booking-templates.js';
import {
  bookingDto,
  bookingNotFound,
  decodeBookingCursor,
  encodeBookingCursor,
  invalidTransition,
  NO_OVERLAP_CONSTRAINT,
  openDetails,
  sealDetails,
  slotTaken,
  unknownReference,
  type BookingRow,
} from './booking-records.js';
import type { BusinessSettingsService } from './business-settings.js';
import type { BookingCalendarPushes } from './calendar/booking-pushes.js';
import { calendarBusyAt, calendarSlotTaken } from './calendar/busy-time.js';
import { openCard } from './contact-card.js';
import type { ServiceContext } from './context.js';
import type { MessageService, QueuedSms } from './messages.js';
import { sqlState } from '../db/sql-state.js';

/** A new booking; the end is already resolved from `ends_at` or `duration_minutes`. */
export interface CreateBookingInput {
  contactId: string;
  staffId: string;
  service: string;
  startsAt: Date;
  endsAt: Date;
  notes?: string | null | undefined;
}

/** Changes to a booking: a new status alone, or any of the other fields. */
export interface UpdateBookingInput {
  status?: Exclude<BookingStatus, 'scheduled'> | undefined;
  startsAt?: Date | undefined;
  endsAt?: Date | undefined;
  durationMinutes?: number | undefined;
  staffId?: string | undefined;
  service?: string | undefined;
  notes?: string | null | undefined;
}

/** Filters and page of {@link BookingService.list}. */
export interface ListBookingsInput {
  limit: number;
  cursor?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  staffId?: string | undefined;
  contactId?: string | undefined;
  status?: BookingStatus | undefined;
}

/** A staff member's time, as the exclusion constraint sees it. */
interface Slot {
  staffId: string;
  startsAt: Date;
  endsAt: Date;
}

/** Statuses a booking may be closed with only once it has started. */
const AFTER_START: ReadonlySet<string> = new Set(['completed', 'no_show']);

/**
 * Bookings: contacts' appointments with staff members. The database keeps a staff member's
 * scheduled bookings from overlapping (an exclusion constraint), so concurrent requests for one
 * slot cannot both win whatever instance serves them; the loser gets 409 `SLOT_TAKEN` naming the
 * winner. A new booking queues its confirmation SMS in its own transaction, and its automatic
 * reminder is a due time on the row (`reminder_due_at`) that a reschedule moves and closing
 * clears, in the same transaction — the reminder worker can never send a stale one.
 *
 * The state machine: `scheduled` → `cancelled` | `completed` | `no_show`, all final; only a
 * scheduled booking is rescheduled; `completed` and `no_show` need the booking to have started.
 */
export class BookingService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly messages: MessageService,
    private readonly business: BusinessSettingsService,
    private readonly calendar: BookingCalendarPushes,
  ) {}

  /** Books a contact with a staff member and queues the confirmation SMS when the contact has a phone. */
  async create(input: CreateBookingInput): Promise<Booking> {
    const { ctx } = this;
    const now = ctx.clock.now();
    const timeZone = await this.business.timeZone();
    const details = { service: input.service, notes: input.notes ?? null };
    const id = newId('bkg', now);
    let queued: QueuedSms | null = null;
    const row = await this.#mapConflicts(id, () => input, () =>
      ctx.db.orm.transaction(async (tx) => {
        const contact = await this.#contact(tx, input.contactId);
        await this.#requireStaff(tx, input.staffId);
        await this.#requireCalendarFree(tx, { staffId: input.staffId, startsAt: input.startsAt, endsAt: input.endsAt });
        const phone = contact.phone;
        if (phone !== null && input.startsAt > now) {
          const text = bookingMessage('booking_confirmation', { languageTag: contact.language, name: contact.name, startsAt: input.startsAt, timeZone });
          queued = await this.messages.insertQueued(this.#runner(tx), { kind: 'booking_confirmation', to: phone, body: text.body, language: text.language, userId: contact.id });
        }
        const [inserted] = await tx
          .insert(bookings)
          .values({
            id,
            contactId: contact.id,
            staffId: input.staffId,
            detailsEnc: sealDetails(details, ctx.phi),
            startsAt: input.startsAt,
            endsAt: input.endsAt,
            status: 'scheduled',
            confirmationMessageId: queued?.id ?? null,
            // Scheduled even without a phone: the contact may have one by then.
            reminderDueAt: this.#reminderDue(input.startsAt, now),
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await this.calendar.schedule(tx, { id, staffId: input.staffId, status: 'scheduled' }, now);
        return inserted!;
      }),
    );
    if (queued) this.messages.enqueue(queued);
    this.calendar.notify();
    return bookingDto(row, details, timeZone);
  }

  /** One booking; 404 when there is none. */
  async get(id: string): Promise<Booking> {
    const [row] = await this.ctx.db.orm.select().from(bookings).where(eq(bookings.id, id)).limit(1);
    if (!row) throw bookingNotFound();
    return bookingDto(row, openDetails(row, this.ctx.phi), await this.business.timeZone());
  }

  /** One page of bookings in start order (then id), filtered. */
  async list(input: ListBookingsInput): Promise<{ bookings: Booking[]; nextCursor: string | null }> {
    const conditions: (SQL | undefined)[] = [];
    if (input.cursor) {
      const after = decodeBookingCursor(input.cursor);
      conditions.push(sql`(${bookings.startsAt}, ${bookings.id}) > (${after.startsAt.toISOString()}::timestamptz, ${after.id})`);
    }
    if (input.from) conditions.push(gt(bookings.endsAt, input.from));
    if (input.to) conditions.push(lt(bookings.startsAt, input.to));
    if (input.staffId) conditions.push(eq(bookings.staffId, input.staffId));
    if (input.contactId) conditions.push(eq(bookings.contactId, input.contactId));
    if (input.status) conditions.push(eq(bookings.status, input.status));
    const rows = await this.ctx.db.orm
      .select()
      .from(bookings)
      .where(and(...conditions))
      .orderBy(asc(bookings.startsAt), asc(bookings.id))
      .limit(input.limit + 1);
    const more = rows.length > input.limit;
    const items = more ? rows.slice(0, input.limit) : rows;
    const timeZone = await this.business.timeZone();
    return {
      bookings: items.map((row) => bookingDto(row, openDetails(row, this.ctx.phi), timeZone)),
      nextCursor: more ? encodeBookingCursor(items[items.length - 1]!) : null,
    };
  }

  /**
   * Changes a booking under its row lock: a status change runs the state machine (and drops the
   * pending reminder); a new time or staff member reschedules it (and moves the reminder); the
   * service and notes may change in any state.
   */
  async update(id: string, input: UpdateBookingInput): Promise<Booking> {
    const { ctx } = this;
    const now = ctx.clock.now();
    const timeZone = await this.business.timeZone();
    let target: Slot | null = null;
    const result = await this.#mapConflicts(id, () => target, () =>
      ctx.db.orm.transaction(async (tx) => {
        const [row] = await tx.select().from(bookings).where(eq(bookings.id, id)).for('update');
        if (!row) throw bookingNotFound();
        const details = openDetails(row, ctx.phi);
        const set: PgUpdateSetSource<typeof bookings> = { updatedAt: now };

        if (input.status !== undefined) {
          if (row.status === input.status) return { row, details };
          if (row.status !== 'scheduled') throw invalidTransition(`The booking is ${row.status}, which is final`);
          if (AFTER_START.has(input.status) && row.startsAt > now) throw invalidTransition(`A booking that has not started cannot be marked ${input.status}`);
          Object.assign(set, { status: input.status, reminderDueAt: null });
        }

        const reschedule = input.startsAt !== undefined || input.endsAt !== undefined || input.durationMinutes !== undefined || input.staffId !== undefined;
        if (reschedule) {
          if (row.status !== 'scheduled') throw invalidTransition(`The booking is ${row.status}: only a scheduled booking is rescheduled`);
          const startsAt = input.startsAt ?? row.startsAt;
          const endsAt =
            input.endsAt ??
            new Date(startsAt.getTime() + (input.durationMinutes !== undefined ? input.durationMinutes * 60_000 : row.endsAt.getTime() - row.startsAt.getTime()));
          if (endsAt <= startsAt) {
            throw new DomainError(ErrorCode.VALIDATION_FAILED, ErrorText.invalidBody, { message: 'The booking would end before it starts', details: [{ path: 'ends_at', message: 'Must be after starts_at' }] });
          }
          if (input.staffId !== undefined && input.staffId !== row.staffId) await this.#requireStaff(tx, input.staffId);
          target = { staffId: input.staffId ?? row.staffId, startsAt, endsAt };
          await this.#requireCalendarFree(tx, target);
          const moved = startsAt.getTime() !== row.startsAt.getTime();
          // The reminder moves with the start, in this transaction: the old due time is gone once it commits.
          Object.assign(set, { staffId: target.staffId, startsAt, endsAt, ...(moved ? { reminderDueAt: this.#reminderDue(startsAt, now) } : {}) });
        }

        if (input.service !== undefined || input.notes !== undefined) {
          details.service = input.service ?? details.service;
          if (input.notes !== undefined) details.notes = input.notes;
          set.detailsEnc = sealDetails(details, ctx.phi);
        }
        const [updated] = await tx.update(bookings).set(set).where(eq(bookings.id, id)).returning();
        // The calendars follow a move and a cancellation; a completed or no-show booking stays on them as it happened.
        if (reschedule || updated!.status === 'cancelled') await this.calendar.schedule(tx, { id, staffId: updated!.staffId, status: updated!.status }, now);
        return { row: updated!, details };
      }),
    );
    this.calendar.notify();
    return bookingDto(result.row, result.details, timeZone);
  }

  /**
   * Queues a reminder (`booking_reminder`) or a form reminder (`booking_form_reminder`) of a
   * scheduled booking now, at staff's request; the automatic reminder stays scheduled.
   */
  async sendNow(id: string, kind: Exclude<BookingMessageKind, 'booking_confirmation'>): Promise<{ bookingId: string; messageId: string }> {
    const timeZone = await this.business.timeZone();
    const queued = await this.ctx.db.orm.transaction(async (tx) => {
      // A share lock: a concurrent cancel waits, so a reminder is never queued for a booking cancelled first.
      const [row] = await tx.select().from(bookings).where(eq(bookings.id, id)).for('share');
      if (!row) throw bookingNotFound();
      if (row.status !== 'scheduled') throw new DomainError(ErrorCode.BOOKING_NOT_SCHEDULED, ErrorText.bookingNotScheduled, { message: `The booking is ${row.status}` });
      const contact = await this.#contact(tx, row.contactId).catch(() => null);
      if (!contact?.phone) throw new DomainError(ErrorCode.NO_PHONE, ErrorText.noPhone, { message: 'Add a phone to the contact to send it messages' });
      const text = bookingMessage(kind, { languageTag: contact.language, name: contact.name, startsAt: row.startsAt, timeZone });
      // Sent at a staff member's request, so not automated: it goes out even while the contact's automation is paused.
      return this.messages.insertQueued(this.#runner(tx), { kind, to: contact.phone, body: text.body, language: text.language, userId: contact.id, automated: false });
    });
    this.messages.enqueue(queued);
    return { bookingId: id, messageId: queued.id };
  }

  /**
   * When the automatic reminder of a booking starting at `startsAt` is due: the configured lead
   * before it, or none when that moment has passed (the confirmation just sent serves) or
   * automatic reminders are off.
   */
  #reminderDue(startsAt: Date, now: Date): Date | null {
    const leadMinutes = this.ctx.config.bookings.reminderLeadMinutes;
    if (leadMinutes === 0) return null;
    const due = new Date(startsAt.getTime() - leadMinutes * 60_000);
    return due > now ? due : null;
  }

  /** The contact, opened, or the 400 for one that does not exist (or was deleted). */
  async #contact(tx: Tx, id: string): Promise<{ id: string; name: string | null; phone: string | null; language: string }> {
    const [row] = await tx.select({ id: users.id, profileEnc: users.profileEnc, language: users.language }).from(users).where(and(eq(users.id, id), isNull(users.deletedAt)));
    if (!row?.profileEnc) throw unknownReference('contact_id');
    const card = openCard(row, this.ctx.phi);
    return { id: row.id, name: card.name, phone: card.phone, language: row.language };
  }

  async #requireStaff(tx: Tx, id: string): Promise<void> {
    const [row] = await tx.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.id, id));
    if (!row) throw unknownReference('staff_id');
  }

  /** The 409 for a slot one of the staff member's connected calendars is busy in. */
  async #requireCalendarFree(tx: Tx, slot: Slot): Promise<void> {
    const busy = await calendarBusyAt(this.ctx.db, tx, slot.staffId, slot.startsAt, slot.endsAt);
    if (busy) throw calendarSlotTaken(slot.staffId, busy);
  }

  #runner(tx: Tx): RawRunner {
    return (query) => this.ctx.db.rows(query, tx);
  }

  /**
   * Runs a write, turning the exclusion constraint's refusal (SQLSTATE 23P01) into 409
   * `SLOT_TAKEN` naming the booking in the way, found after the refusal (the transaction that
   * refused is over by then; the winner has committed).
   */
  async #mapConflicts<T>(selfId: string, slot: () => Slot | null, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      const wanted = slot();
      if (wanted && sqlState(error, '23P01', NO_OVERLAP_CONSTRAINT)) throw slotTaken(wanted.staffId, await this.#clash(wanted, selfId));
      // The contact or staff member went away between the check and the insert.
      if (sqlState(error, '23503', 'bookings_staff_id_staff_users_id_fk')) throw unknownReference('staff_id');
      if (sqlState(error, '23503', 'bookings_contact_id_users_id_fk')) throw unknownReference('contact_id');
      throw error;
    }
  }

  async #clash(slot: Slot, selfId: string): Promise<BookingRow | null> {
    const [row] = await this.ctx.db.orm
      .select()
      .from(bookings)
      .where(
        and(
          eq(bookings.staffId, slot.staffId),
          eq(bookings.status, 'scheduled'),
          ne(bookings.id, selfId),
          sql`tstzrange(${bookings.startsAt}, ${bookings.endsAt}, '[)') && tstzrange(${slot.startsAt.toISOString()}::timestamptz, ${slot.endsAt.toISOString()}::timestamptz, '[)')`,
        ),
      )
      .orderBy(asc(bookings.startsAt))
      .limit(1);
    return row ?? null;
  }
}
