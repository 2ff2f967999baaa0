import type { Booking } from '@careos/sdk';
import { startFixture, type CliFixture } from './server.js';

const HOUR = 3_600_000;

/** A whole hour `hours` after two days from now: far enough ahead that every booking verb applies. */
export function at(hours: number): string {
  return new Date(Math.ceil(Date.now() / HOUR) * HOUR + (48 + hours) * HOUR).toISOString();
}

/** The CLI fixture with a contact (with a phone) to book, the admin as the staff member booked, and a helper to book them. */
export interface BookingFixture {
  fx: CliFixture;
  staffId: string;
  contactId: string;
  /** The admin's sign-in for the CLI. */
  env(): Record<string, string>;
  /** Books the contact with the admin for 30 minutes at {@link at}(`hours`). */
  book(hours: number): Promise<Booking>;
}

/** Starts the fixture of the `careos bookings` tests. */
export async function startBookingFixture(): Promise<BookingFixture> {
  const fx = await startFixture();
  const staffId = (await fx.server.app.services.staff.findByEmail(fx.admin.email))!.id;
  const contactId = (await fx.ops.contacts.create({ name: 'Grace Hopper', phone: '+14155550191' })).contact.id;
  return {
    fx,
    staffId,
    contactId,
    env: () => ({ CAREOS_API_URL: fx.server.url, CAREOS_ADMIN_EMAIL: fx.admin.email, CAREOS_ADMIN_PASSWORD: fx.admin.password }),
    book: async (hours) => (await fx.ops.bookings.create({ contact_id: contactId, staff_id: staffId, service: 'Check-up', starts_at: at(hours), duration_minutes: 30 })).booking,
  };
}
