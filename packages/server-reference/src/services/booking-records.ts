import { ErrorCode, ErrorText, type Booking, type BookingStatus } from '@careos/contract';
import { bookings } from '../db/schema/index.js';
import { DomainError } from '../domain/errors.js';
import { isId } from '../domain/ids.js';
import type { FieldCrypto } from './field-crypto.js';

/** A stored booking. */
export type BookingRow = typeof bookings.$inferSelect;

/** What a booking keeps sealed: what the person is seen for, and the care team's notes. */
export interface BookingDetails {
  service: string;
  notes: string | null;
}

/** The exclusion constraint that keeps a staff member's scheduled bookings apart (migration 0014). */
export const NO_OVERLAP_CONSTRAINT = 'bookings_staff_no_overlap';

/** Seals a booking's details (associated data `bookings.details_enc`). */
export function sealDetails(details: BookingDetails, phi: FieldCrypto): string {
  return phi.cipher.sealJson(bookings.detailsEnc, details);
}

/** Opens what {@link sealDetails} sealed. */
export function openDetails(row: Pick<BookingRow, 'detailsEnc'>, phi: FieldCrypto): BookingDetails {
  return phi.cipher.openJson<BookingDetails>(bookings.detailsEnc, row.detailsEnc);
}

/** A stored booking as the API shows it, with the business's time zone. */
export function bookingDto(row: BookingRow, details: BookingDetails, timeZone: string): Booking {
  return {
    id: row.id,
    contact_id: row.contactId,
    staff_id: row.staffId,
    service: details.service,
    starts_at: row.startsAt.toISOString(),
    ends_at: row.endsAt.toISOString(),
    duration_minutes: Math.round((row.endsAt.getTime() - row.startsAt.getTime()) / 60_000),
    time_zone: timeZone,
    status: row.status as BookingStatus,
    notes: details.notes,
    confirmation_message_id: row.confirmationMessageId,
    reminder_due_at: row.reminderDueAt?.toISOString() ?? null,
    reminder_sent_at: row.reminderSentAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/**
 * List cursors: bookings come in start order, so a cursor is the last (start, id) of the page,
 * base64url-encoded; anything else is refused.
 */
export function encodeBookingCursor(row: Pick<BookingRow, 'startsAt' | 'id'>): string {
  return Buffer.from(`${row.startsAt.toISOString()}|${row.id}`, 'utf8').toString('base64url');
}

/** Reads a cursor of {@link encodeBookingCursor} back. */
export function decodeBookingCursor(cursor: string): { startsAt: Date; id: string } {
  const [at = '', id = ''] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const startsAt = new Date(at);
  if (Number.isNaN(startsAt.getTime()) || !isId('bkg', id)) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, ErrorText.invalidQuery, {
      message: 'cursor is not a next_cursor value returned by this list',
      details: [{ path: 'cursor', message: 'Unknown cursor' }],
    });
  }
  return { startsAt, id };
}

export function bookingNotFound(): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, ErrorText.notFound, { message: 'No booking with this id' });
}

/** The 400 for a contact or staff member that does not exist. */
export function unknownReference(path: 'contact_id' | 'staff_id'): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, ErrorText.unknownReference, {
    message: path === 'contact_id' ? 'No contact with this id' : 'No staff member with this id',
    details: [{ path, message: 'Not found' }],
  });
}

/** The 409 for a change the state machine does not allow. */
export function invalidTransition(message: string): DomainError {
  return new DomainError(ErrorCode.INVALID_TRANSITION, ErrorText.invalidTransition, { message });
}

/** The 409 for a time the staff member is already booked, naming the booking in the way when it is known. */
export function slotTaken(staffId: string, clash: Pick<BookingRow, 'id' | 'startsAt' | 'endsAt'> | null): DomainError {
  if (!clash) return new DomainError(ErrorCode.SLOT_TAKEN, ErrorText.slotTaken, { message: `Staff member ${staffId} has another booking at that time` });
  return new DomainError(ErrorCode.SLOT_TAKEN, ErrorText.slotTaken, {
    message: `Staff member ${staffId} has booking ${clash.id} from ${clash.startsAt.toISOString()} to ${clash.endsAt.toISOString()}`,
    details: [{ path: 'starts_at', message: `Overlaps booking ${clash.id}` }],
  });
}
