import type { Booking } from '@careos/contract';
import { InvalidArgumentError } from 'commander';
import { keyValues, table, type Output } from './output.js';

// How `careos bookings …` prints bookings for people (`--json` prints the API's body instead).

/**
 * An option parser for an instant: ISO 8601 with `Z` or an offset (`2026-03-10T14:30:00Z`,
 * `2026-03-10T10:30-04:00`). A time without one is refused: whose 10:30 it is would be a guess.
 */
export function instant(value: string): string {
  const date = new Date(value);
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(value.trim()) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError('must be an ISO 8601 time with Z or an offset, e.g. 2026-03-10T14:30:00Z');
  }
  return date.toISOString();
}

/** A page of bookings as a table, in start order, with the next page's cursor under it. */
export function bookingTable(out: Output, page: { bookings: Booking[]; next_cursor: string | null }): string {
  if (page.bookings.length === 0) return out.color.dim('No bookings match.');
  const rows = page.bookings.map((b) => [b.id, b.starts_at, b.duration_minutes, b.status, b.contact_id, b.staff_id, b.service]);
  const lines = [table(out.color, ['ID', 'STARTS (UTC)', 'MIN', 'STATUS', 'CONTACT', 'STAFF', 'SERVICE'], rows)];
  if (page.next_cursor) lines.push(out.color.dim(`More: --cursor ${page.next_cursor}`));
  return lines.join('\n');
}

/** One booking, field by field, its start also in the business's time zone. */
export function bookingDetail(out: Output, booking: Booking): string {
  const local = new Intl.DateTimeFormat('en-US', { timeZone: booking.time_zone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(booking.starts_at));
  return keyValues(out.color, [
    ['Booking', booking.id],
    ['Status', booking.status],
    ['Starts', `${booking.starts_at} (${local}, ${booking.time_zone})`],
    ['Ends', booking.ends_at],
    ['Minutes', booking.duration_minutes],
    ['Contact', booking.contact_id],
    ['Staff', booking.staff_id],
    ['Service', booking.service],
    ['Notes', booking.notes],
    ['Confirmation', booking.confirmation_message_id],
    ['Reminder due', booking.reminder_due_at],
    ['Reminder sent', booking.reminder_sent_at],
  ]);
}
