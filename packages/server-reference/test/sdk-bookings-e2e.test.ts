// The SDK's bookings and business-settings resources against the reference server over real
// HTTP: typed calls, start-ordered pages walked with `for await`, SLOT_TAKEN and
// INVALID_TRANSITION as ConflictError, staff and admin roles. PGlite only: what the database
// does differently on PostgreSQL is covered by bookings.test.ts.
import { CareOS, ConflictError, PermissionDeniedError } from '@careos/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { createBackend, type TestBackend } from './helpers/backends.js';
import { sdkStaff } from './helpers/staff.js';
import { generateTestKeys } from './helpers/keys.js';
import { uniquePhone } from './helpers/leads.js';

const keys = generateTestKeys();
const HOUR = 3_600_000;
const at = (hours: number) => new Date(Math.ceil(Date.now() / HOUR) * HOUR + 48 * HOUR + hours * HOUR).toISOString();

describe('SDK bookings against the reference server (pglite)', () => {
  let backend: TestBackend;
  let server: TestApp;
  let admin: CareOS;
  let staff: CareOS;
  let closeClients: (() => Promise<void>) | undefined;
  let staffId: string;

  beforeAll(async () => {
    backend = await createBackend('pglite');
    server = await startApp({ db: await backend.open(), env: testEnv({ keys }) });
    ({ admin, staff, staffId, close: closeClients } = await sdkStaff(server));
  });
  afterAll(async () => {
    await closeClients?.();
    await server?.close();
    await backend?.dispose();
  });

  it('books, reschedules, reminds and cancels; a taken slot and a final state are ConflictErrors', async () => {
    const { contact } = await staff.contacts.create({ name: 'Sam Sdk', phone: uniquePhone() });
    const { booking } = await staff.bookings.create({ contact_id: contact.id, staff_id: staffId, service: 'Assessment', starts_at: at(0), duration_minutes: 60, notes: 'First visit' });
    expect(booking).toMatchObject({ status: 'scheduled', duration_minutes: 60, notes: 'First visit', time_zone: 'UTC', confirmation_message_id: expect.stringMatching(/^msg_/) });

    const taken = await staff.bookings.create({ contact_id: contact.id, staff_id: staffId, service: 'Other', starts_at: at(0.5), duration_minutes: 30 }).catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(ConflictError);
    expect(taken).toMatchObject({ status: 409, code: 'SLOT_TAKEN' });

    const moved = await staff.bookings.update(booking.id, { starts_at: at(2) });
    expect(moved.booking).toMatchObject({ starts_at: at(2), ends_at: at(3) });
    expect((await staff.bookings.retrieve(booking.id)).booking.starts_at).toBe(at(2));

    const reminder = await staff.bookings.sendReminder(booking.id);
    expect(reminder).toEqual({ booking_id: booking.id, message_id: expect.stringMatching(/^msg_/) });
    expect((await staff.bookings.sendFormReminder(booking.id)).message_id).not.toBe(reminder.message_id);

    expect((await staff.bookings.cancel(booking.id)).booking).toMatchObject({ status: 'cancelled', reminder_due_at: null });
    await expect(staff.bookings.update(booking.id, { starts_at: at(4) })).rejects.toMatchObject({ status: 409, code: 'INVALID_TRANSITION' });
    await expect(staff.bookings.sendReminder(booking.id)).rejects.toMatchObject({ status: 409, code: 'BOOKING_NOT_SCHEDULED' });
  });

  it('walks bookings in start order with for await, filtered by staff member and status', async () => {
    const { contact } = await staff.contacts.create({ name: 'Page Walker', email: 'walker@example.com' });
    const ids: string[] = [];
    for (const hours of [12, 10, 11]) ids.push((await staff.bookings.create({ contact_id: contact.id, staff_id: staffId, service: 'Visit', starts_at: at(hours), ends_at: at(hours + 1) })).booking.id);
    const seen: string[] = [];
    for await (const each of staff.bookings.list({ contact_id: contact.id, status: 'scheduled', limit: 2 })) seen.push(each.id);
    expect(seen).toEqual([ids[1], ids[2], ids[0]]);
  });

  it('reads the business settings as staff and changes them as an admin only', async () => {
    expect(await staff.admin.settings.retrieve()).toEqual({ time_zone: 'UTC', quiet_hours: null });
    await expect(staff.admin.settings.update({ time_zone: 'Asia/Tokyo' })).rejects.toBeInstanceOf(PermissionDeniedError);
    expect(await admin.admin.settings.update({ time_zone: 'Asia/Tokyo' })).toEqual({ time_zone: 'Asia/Tokyo', quiet_hours: null });
    const quiet = { start: '22:00', end: '07:30' };
    expect(await admin.admin.settings.update({ quiet_hours: quiet })).toEqual({ time_zone: 'Asia/Tokyo', quiet_hours: quiet });
    expect(await staff.admin.settings.retrieve()).toEqual({ time_zone: 'Asia/Tokyo', quiet_hours: quiet });
  });
});
