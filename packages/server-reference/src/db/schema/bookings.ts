import { sql } from 'drizzle-orm';
import { check, index, pgTable, text } from 'drizzle-orm/pg-core';
import { encrypted, ts } from './columns.js';
import { staffUsers } from './staff.js';
import { users } from './users.js';

/**
 * Contacts' appointments with staff members. Times are UTC instants (`[starts_at, ends_at)`).
 * The migration adds what drizzle cannot express: `bookings_staff_no_overlap`, an exclusion
 * constraint (btree_gist) refusing two `scheduled` bookings of one staff member whose time
 * ranges overlap — only `scheduled` rows take part, so closing a booking frees its slot.
 */
export const bookings = pgTable(
  'bookings',
  {
    id: text('id').primaryKey(),
    contactId: text('contact_id').notNull().references(() => users.id),
    staffId: text('staff_id').notNull().references(() => staffUsers.id),
    /** `{ service, notes }` sealed as one JSON value: what a person is seen for is PHI. */
    detailsEnc: encrypted('details_enc').notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    /** `scheduled`, `cancelled`, `completed` or `no_show`; only `scheduled` changes. */
    status: text('status').notNull(),
    /** The confirmation SMS queued at creation (null: no phone, or the booking had started). */
    confirmationMessageId: text('confirmation_message_id'),
    /**
     * The durable reminder schedule: when the automatic reminder is due, null when none is
     * pending. Moved by a reschedule and cleared by closing the booking, in their transactions;
     * cleared by the worker in the transaction that queues the reminder, so it is sent once.
     */
    reminderDueAt: ts('reminder_due_at'),
    /** When the automatic reminder was queued, and which message it is. */
    reminderSentAt: ts('reminder_sent_at'),
    reminderMessageId: text('reminder_message_id'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    check('bookings_ends_after_start', sql`${t.endsAt} > ${t.startsAt}`),
    check('bookings_status_known', sql`${t.status} in ('scheduled', 'cancelled', 'completed', 'no_show')`),
    // Lists run in start order, within a time range, optionally by staff member or contact.
    index('bookings_starts_at_idx').on(t.startsAt, t.id),
    index('bookings_staff_starts_at_idx').on(t.staffId, t.startsAt),
    index('bookings_contact_starts_at_idx').on(t.contactId, t.startsAt),
    // The reminder worker reads only the pending rows, earliest due first.
    index('bookings_reminder_due_idx').on(t.reminderDueAt).where(sql`${t.reminderDueAt} is not null`),
  ],
);
