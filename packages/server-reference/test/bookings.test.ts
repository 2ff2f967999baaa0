// Bookings over real HTTP: validation, the confirmation SMS, the state machine, lists, explicit
// reminders, the business time zone, PHI at rest, and the database's refusal to book one staff
// member twice (50 concurrent requests for one slot: one winner, 49 × 409 naming it).
import { Booking, BookingList, BookingResponse } from '@careos/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import type { SmsMessage, SmsProvider } from '../src/providers/types.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';
import { uniquePhone } from './helpers/leads.js';
import { staffSession, type StaffSession } from './helpers/staff.js';

const keys = generateTestKeys();
const HOUR = 3_600_000;
/** A whole hour `days` days from now: far enough ahead for its reminder to be scheduled. */
const at = (days: number, hours = 0) => new Date(Math.ceil(Date.now() / HOUR) * HOUR + days * 24 * HOUR + hours * HOUR).toISOString();

function recordingProvider(): { provider: SmsProvider; sent: SmsMessage[] } {
  const sent: SmsMessage[] = [];
  return { sent, provider: { name: 'recording', send: async (m) => (sent.push(m), { providerMessageId: `rec-${sent.length}` }) } };
}

describe.each(backendNames())('bookings (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let admin: StaffSession;
  let staff: StaffSession;
  let contactId: string;
  let contactPhone: string;
  let noPhoneContactId: string;
  const sms = recordingProvider();

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, env: testEnv({ keys, extra: { CAREOS_TIME_ZONE: 'America/New_York', TWILIO_HIPAA_ENABLED: 'true' } }), providers: { sms: sms.provider } });
    admin = await staffSession(server, 'admin');
    staff = await staffSession(server, 'staff');
    contactPhone = uniquePhone();
    contactId = (await as(staff, 'POST', '/contacts', { name: 'Maria Lopez', phone: contactPhone, language: 'es' })).body.contact.id;
    noPhoneContactId = (await as(staff, 'POST', '/contacts', { name: 'Emailonly Person', email: 'only@example.com' })).body.contact.id;
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  const as = (who: StaffSession, method: string, path: string, json?: unknown, headers: Record<string, string> = {}) =>
    call(server.url, method, path, { headers: { ...who.headers, ...headers }, ...(json === undefined ? {} : { json }) });
  const book = async (body: Record<string, unknown>) => {
    const res = await as(staff, 'POST', '/bookings', { contact_id: contactId, staff_id: staff.id, service: 'Initial assessment', ...body });
    expect(res.status, res.text).toBe(201);
    return BookingResponse.parse(res.body).booking;
  };
  const patch = (id: string, body: Record<string, unknown>) => as(staff, 'PATCH', `/bookings/${id}`, body);

  it('books a contact, queues the confirmation in the business time zone and schedules the reminder', async () => {
    const startsAt = at(3);
    const booking = await book({ starts_at: startsAt, duration_minutes: 45, notes: 'Wheelchair access' });
    expect(booking).toMatchObject({ contact_id: contactId, staff_id: staff.id, service: 'Initial assessment', starts_at: startsAt, duration_minutes: 45, status: 'scheduled', notes: 'Wheelchair access', time_zone: 'America/New_York' });
    expect(Date.parse(booking.ends_at) - Date.parse(startsAt)).toBe(45 * 60_000);
    expect(booking.reminder_due_at).toBe(new Date(Date.parse(startsAt) - 24 * HOUR).toISOString());
    expect(booking.confirmation_message_id).toMatch(/^msg_/);

    await server.app.flush();
    const confirmation = sms.sent.find((m) => m.id === booking.confirmation_message_id)!;
    expect(confirmation.to).toBe(contactPhone);
    const local = new Intl.DateTimeFormat('es', { timeZone: 'America/New_York', timeStyle: 'short' }).format(new Date(startsAt));
    expect(confirmation.body).toContain('Hola Maria, tu cita con CareOS está reservada para el');
    expect(confirmation.body).toContain(local);
    expect(confirmation.body).not.toContain('Initial assessment');

    // A contact without a phone is booked all the same, with no confirmation.
    const quiet = await book({ contact_id: noPhoneContactId, starts_at: at(3, 2), ends_at: at(3, 3) });
    expect(quiet.confirmation_message_id).toBeNull();

    // Notes and service are sealed at rest, and audit rows carry neither.
    const [row] = await query<{ details_enc: string }>(db, `select details_enc from bookings where id = '${booking.id}'`);
    expect(row!.details_enc).not.toContain('Wheelchair');
    await server.app.flush();
    const audit = await query<{ text: string }>(db, `select row_to_json(a)::text as text from audit_log a where subject_id = '${booking.id}'`);
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.map((a) => a.text).join()).not.toMatch(/Wheelchair|assessment/);
  });

  it('refuses bad bodies, unknown contacts and staff, and a caller without a token', async () => {
    const base = { contact_id: contactId, staff_id: staff.id, service: 'Check-up', starts_at: at(4) };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base }, 'Invalid request body'],
      [{ ...base, duration_minutes: 30, ends_at: at(4, 1) }, 'Invalid request body'],
      [{ ...base, ends_at: at(3) }, 'Invalid request body'],
      [{ ...base, ends_at: base.starts_at }, 'Invalid request body'],
      [{ ...base, duration_minutes: 0 }, 'Invalid request body'],
      [{ ...base, duration_minutes: 2000 }, 'Invalid request body'],
      [{ ...base, starts_at: 'tomorrow', duration_minutes: 30 }, 'Invalid request body'],
      [{ ...base, service: ' ', duration_minutes: 30 }, 'Missing required fields: service'],
      [{ ...base, contact_id: 'user_00000000000000000000000000', duration_minutes: 30 }, 'Contact or staff member not found'],
      [{ ...base, staff_id: 'staff_00000000000000000000000000', duration_minutes: 30 }, 'Contact or staff member not found'],
    ];
    for (const [body, error] of cases) {
      const res = await as(staff, 'POST', '/bookings', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', error });
    }
    const unknown = await as(staff, 'POST', '/bookings', { ...base, staff_id: 'staff_00000000000000000000000000', duration_minutes: 30 });
    expect(unknown.body.details).toEqual([{ path: 'staff_id', message: 'Not found' }]);
    expect((await call(server.url, 'GET', '/bookings')).status).toBe(401);
    expect((await as(staff, 'GET', '/bookings/bkg_00000000000000000000000000')).status).toBe(404);
    expect((await as(staff, 'GET', '/bookings?status=maybe')).status).toBe(400);
    expect((await as(staff, 'GET', '/bookings?cursor=nope')).status).toBe(400);
  });

  it('gives exactly one of 50 concurrent bookings of one slot, 409 SLOT_TAKEN naming it to the rest; back-to-back is fine; cancelling frees the slot', async () => {
    const slot = { staff_id: admin.id, starts_at: at(5), duration_minutes: 60 };
    const results = await Promise.all(Array.from({ length: 50 }, () => as(staff, 'POST', '/bookings', { contact_id: contactId, service: 'Slot race', ...slot })));
    const won = results.filter((r) => r.status === 201);
    const lost = results.filter((r) => r.status === 409);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    const winner = won[0]!.body.booking.id as string;
    for (const res of lost) {
      expect(res.body).toMatchObject({ code: 'SLOT_TAKEN', error: 'The staff member is already booked at that time', details: [{ path: 'starts_at', message: `Overlaps booking ${winner}` }] });
    }
    // Overlapping by a minute is refused; starting as the other ends is not; another staff member is free.
    const overlap = await as(staff, 'POST', '/bookings', { contact_id: contactId, service: 'x', staff_id: admin.id, starts_at: at(5, 0.5), duration_minutes: 60 });
    expect(overlap.body.code).toBe('SLOT_TAKEN');
    const after = await book({ staff_id: admin.id, starts_at: at(5, 1), duration_minutes: 30 });
    const before = await book({ staff_id: admin.id, starts_at: at(5, -1), ends_at: at(5) });
    await book({ ...slot, staff_id: staff.id });

    expect((await patch(winner, { status: 'cancelled' })).body.booking.status).toBe('cancelled');
    const again = await book(slot);
    expect(again.id).not.toBe(winner);
    expect([after.status, before.status]).toEqual(['scheduled', 'scheduled']);
  });

  it('runs the state machine: reschedule, close once, refuse what is final or too early, and reschedule only into free time', async () => {
    const first = await book({ starts_at: at(6), duration_minutes: 30 });
    const second = await book({ starts_at: at(6, 2), duration_minutes: 30 });

    // A reschedule keeps the duration and moves the reminder; into the other booking's time it is refused.
    const moved = await patch(first.id, { starts_at: at(6, 1) });
    expect(moved.status).toBe(200);
    expect(moved.body.booking).toMatchObject({ starts_at: at(6, 1), duration_minutes: 30, reminder_due_at: new Date(Date.parse(at(6, 1)) - 24 * HOUR).toISOString() });
    const clash = await patch(first.id, { starts_at: at(6, 2), duration_minutes: 60 });
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ code: 'SLOT_TAKEN', details: [{ path: 'starts_at', message: `Overlaps booking ${second.id}` }] });
    expect((await patch(first.id, { ends_at: at(6, 1) })).status).toBe(400);
    expect((await patch(first.id, { status: 'cancelled', notes: 'x' })).status).toBe(400);
    expect((await patch(first.id, {})).status).toBe(400);

    // Not started yet: it cannot be completed or a no-show.
    for (const status of ['completed', 'no_show']) {
      const early = await patch(first.id, { status });
      expect(early.status).toBe(409);
      expect(early.body).toMatchObject({ code: 'INVALID_TRANSITION', error: 'The booking cannot change that way' });
    }
    const cancelled = await patch(first.id, { status: 'cancelled' });
    expect(cancelled.body.booking).toMatchObject({ status: 'cancelled', reminder_due_at: null });
    expect((await patch(first.id, { status: 'cancelled' })).status).toBe(200);
    for (const body of [{ status: 'completed' }, { starts_at: at(7) }, { staff_id: admin.id }]) {
      const res = await patch(first.id, body);
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(res.body.code).toBe('INVALID_TRANSITION');
    }
    // Notes of a closed booking may still be written.
    expect((await patch(first.id, { notes: 'Called to cancel' })).body.booking.notes).toBe('Called to cancel');

    // A booking that has started can be completed or marked a no-show, and then stays so.
    const past = await book({ starts_at: at(-1), duration_minutes: 30 });
    expect(past.confirmation_message_id).toBeNull();
    expect(past.reminder_due_at).toBeNull();
    expect((await patch(past.id, { status: 'no_show' })).body.booking.status).toBe('no_show');
    expect((await patch(past.id, { status: 'completed' })).body.code).toBe('INVALID_TRANSITION');
    const done = await book({ starts_at: at(-2), duration_minutes: 30 });
    expect((await patch(done.id, { status: 'completed' })).body.booking.status).toBe('completed');
    expect((await patch('bkg_00000000000000000000000000', { status: 'cancelled' })).status).toBe(404);
  });

  it('lists in start order, filtered by range, staff, contact and status, page by page', async () => {
    const other = await staffSession(server, 'staff');
    const made = [await book({ staff_id: other.id, starts_at: at(9, 3), duration_minutes: 30 }), await book({ staff_id: other.id, starts_at: at(9, 1), duration_minutes: 30 }), await book({ staff_id: other.id, starts_at: at(9, 2), duration_minutes: 30 })];
    await patch(made[2]!.id, { status: 'cancelled' });
    const list = async (q: string) => BookingList.parse((await as(staff, 'GET', `/bookings?${q}`)).body).bookings.map((b) => b.id);
    const inOrder = [made[1]!.id, made[2]!.id, made[0]!.id];
    expect(await list(`staff_id=${other.id}`)).toEqual(inOrder);
    expect(await list(`staff_id=${other.id}&status=scheduled`)).toEqual([made[1]!.id, made[0]!.id]);
    expect(await list(`staff_id=${other.id}&from=${encodeURIComponent(at(9, 1.25))}&to=${encodeURIComponent(at(9, 3))}`)).toEqual([made[1]!.id, made[2]!.id]);
    expect(await list(`contact_id=${noPhoneContactId}`)).toHaveLength(1);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const body = BookingList.parse((await as(staff, 'GET', `/bookings?staff_id=${other.id}&limit=1${cursor ? `&cursor=${cursor}` : ''}`)).body);
      seen.push(...body.bookings.map((b) => b.id));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(inOrder);
  });

  it('sends a reminder or a form reminder on request, only for a scheduled booking of a contact with a phone', async () => {
    const booking = await book({ starts_at: at(10), duration_minutes: 30 });
    const reminder = await as(staff, 'POST', `/bookings/${booking.id}/send-reminder`, undefined, { 'idempotency-key': `remind-${booking.id}` });
    expect(reminder.status).toBe(201);
    expect(reminder.body).toEqual({ booking_id: booking.id, message_id: expect.stringMatching(/^msg_/) });
    const replay = await as(staff, 'POST', `/bookings/${booking.id}/send-reminder`, undefined, { 'idempotency-key': `remind-${booking.id}` });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.message_id).toBe(reminder.body.message_id);
    const form = await as(admin, 'POST', `/bookings/${booking.id}/send-form-reminder`);
    expect(form.status).toBe(201);
    await server.app.flush();
    const kinds = await query<{ kind: string }>(db, `select kind from messages where id in ('${reminder.body.message_id}', '${form.body.message_id}') order by kind`);
    expect(kinds.map((k) => k.kind)).toEqual(['booking_form_reminder', 'booking_reminder']);
    expect(sms.sent.find((m) => m.id === form.body.message_id)!.body).toContain('completa tus formularios de CareOS');
    // The automatic reminder is still due.
    expect(Booking.parse((await as(staff, 'GET', `/bookings/${booking.id}`)).body.booking).reminder_due_at).not.toBeNull();

    const quiet = await book({ contact_id: noPhoneContactId, starts_at: at(10, 2), duration_minutes: 30 });
    expect((await as(staff, 'POST', `/bookings/${quiet.id}/send-reminder`)).body).toMatchObject({ code: 'NO_PHONE', error: 'The contact has no phone number' });
    await patch(booking.id, { status: 'cancelled' });
    const closed = await as(staff, 'POST', `/bookings/${booking.id}/send-form-reminder`);
    expect(closed.status).toBe(409);
    expect(closed.body).toMatchObject({ code: 'BOOKING_NOT_SCHEDULED', error: 'The booking is not scheduled' });
    expect((await as(staff, 'POST', '/bookings/bkg_00000000000000000000000000/send-reminder')).status).toBe(404);
  });

  it('lets an admin set the business time zone, which bookings then carry, and the quiet hours; staff may read them only', async () => {
    const night = { start: '21:00', end: '08:00' };
    expect((await as(staff, 'GET', '/admin/settings')).body).toEqual({ time_zone: 'America/New_York', quiet_hours: null });
    expect((await as(staff, 'PATCH', '/admin/settings', { time_zone: 'Europe/Rome' })).status).toBe(403);
    expect((await as(admin, 'PATCH', '/admin/settings', { time_zone: 'Mars/Olympus' })).status).toBe(400);
    expect((await as(admin, 'PATCH', '/admin/settings', { quiet_hours: { start: '25:00', end: '08:00' } })).status).toBe(400);
    expect((await as(admin, 'PATCH', '/admin/settings', {})).status).toBe(400);
    expect((await as(admin, 'PATCH', '/admin/settings', { time_zone: 'Europe/Rome' })).body).toEqual({ time_zone: 'Europe/Rome', quiet_hours: null });
    expect((await as(admin, 'PATCH', '/admin/settings', { quiet_hours: night })).body).toEqual({ time_zone: 'Europe/Rome', quiet_hours: night });
    expect((await as(staff, 'GET', '/admin/settings')).body).toEqual({ time_zone: 'Europe/Rome', quiet_hours: night });
    expect((await as(admin, 'PATCH', '/admin/settings', { quiet_hours: null })).body).toEqual({ time_zone: 'Europe/Rome', quiet_hours: null });
    const booking = await book({ starts_at: at(11), duration_minutes: 30 });
    expect(booking.time_zone).toBe('Europe/Rome');
    await server.app.flush();
    const local = new Intl.DateTimeFormat('es', { timeZone: 'Europe/Rome', timeStyle: 'short' }).format(new Date(booking.starts_at));
    expect(sms.sent.find((m) => m.id === booking.confirmation_message_id)!.body).toContain(local);
    await as(admin, 'PATCH', '/admin/settings', { time_zone: 'America/New_York' });
  });
});
