// Automatic booking reminders from their durable schedule: a reminder that fell due while the
// server was stopped is sent once after it starts; a rescheduled booking is reminded of its new
// time only; a cancelled booking, or a contact without a phone, gets none; two instances never
// both send one. And a failing SMS provider never fails or holds up a booking.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.js';
import type { SmsMessage, SmsProvider } from '../src/providers/types.js';
import { startApp, testEnv, type TestApp } from './helpers/app.js';
import { backendNames, createBackend, type TestBackend } from './helpers/backends.js';
import { ManualClock } from './helpers/clock.js';
import { query } from './helpers/db.js';
import { call } from './helpers/http.js';
import { generateTestKeys } from './helpers/keys.js';
import { uniquePhone } from './helpers/leads.js';
import { staffSession, type StaffSession } from './helpers/staff.js';

const keys = generateTestKeys();
const HOUR = 3_600_000;
const env = testEnv({ keys, extra: { CAREOS_TIME_ZONE: 'Europe/Rome', TWILIO_HIPAA_ENABLED: 'true' } });

describe.each(backendNames())('booking reminders (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  const clock = new ManualClock(new Date(Math.ceil(Date.now() / HOUR) * HOUR));
  const t0 = clock.now().getTime();
  const at = (hours: number) => new Date(t0 + hours * HOUR).toISOString();
  const sent: SmsMessage[] = [];
  const recorder: SmsProvider = { name: 'recording', send: async (m) => (sent.push(m), { providerMessageId: null }) };
  const servers: TestApp[] = [];
  const start = async (providers: { sms: SmsProvider } = { sms: recorder }) => {
    const server = await startApp({ db, clock, env, providers });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await backend?.dispose();
  });

  const reminders = (bookingId: string) =>
    query<{ id: string; body_kind: string }>(db, `select m.id, m.kind as body_kind from messages m join bookings b on b.contact_id = m.user_id where b.id = '${bookingId}' and m.kind = 'booking_reminder'`);
  const remindersTo = (phone: string) => sent.filter((m) => m.to === phone && /reminder of your CareOS appointment/.test(m.body));

  it('sends what fell due while stopped once after the start, never a rescheduled or cancelled booking’s stale reminder, and once across instances', async () => {
    const first = await start();
    const staff = await staffSession(first, 'staff');
    const as = (method: string, path: string, json?: unknown) => call(first.url, method, path, { headers: staff.headers, ...(json === undefined ? {} : { json }) });
    const contact = async (body: Record<string, unknown>) => (await as('POST', '/contacts', { language: 'en', ...body })).body.contact.id as string;
    const book = async (contactId: string, startsAt: string) => {
      const res = await as('POST', '/bookings', { contact_id: contactId, staff_id: staff.id, service: 'Visit', starts_at: startsAt, duration_minutes: 30 });
      expect(res.status, res.text).toBe(201);
      return res.body.booking as { id: string; reminder_due_at: string | null };
    };
    const [phoneA, phoneB, phoneC] = [uniquePhone(), uniquePhone(), uniquePhone()];
    const a = await book(await contact({ name: 'Ada One', phone: phoneA }), at(25));
    const b = await book(await contact({ name: 'Bea Two', phone: phoneB }), at(30));
    const c = await book(await contact({ name: 'Cy Three', phone: phoneC }), at(28));
    const d = await book(await contact({ name: 'Di Four', email: 'di@example.com' }), at(27));
    expect(a.reminder_due_at).toBe(at(1));

    expect((await as('PATCH', `/bookings/${b.id}`, { starts_at: at(50) })).body.booking.reminder_due_at).toBe(at(26));
    expect((await as('PATCH', `/bookings/${c.id}`, { status: 'cancelled' })).body.booking.reminder_due_at).toBeNull();
    await first.close();

    // Seven hours pass with no server running: a, and the old times of b and c, fall due.
    clock.advance(7 * HOUR);
    const second = await start();
    await expect.poll(async () => (await reminders(a.id)).length, { timeout: 10_000 }).toBe(1);
    await second.app.flush();
    expect(remindersTo(phoneA)).toHaveLength(1);
    expect(remindersTo(phoneA)[0]!.body).toContain(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Rome', timeStyle: 'short' }).format(new Date(at(25))));
    const [rowA] = await query<{ reminder_due_at: Date | null; reminder_sent_at: Date | string | null }>(db, `select reminder_due_at, reminder_sent_at from bookings where id = '${a.id}'`);
    expect(rowA!.reminder_due_at).toBeNull();
    expect(new Date(rowA!.reminder_sent_at!).toISOString()).toBe(at(7));
    // The schedule is cleared for a phone-less contact too, with nothing sent.
    const [rowD] = await query<{ reminder_due_at: Date | null; reminder_message_id: string | null }>(db, `select reminder_due_at, reminder_message_id from bookings where id = '${d.id}'`);
    expect(rowD).toEqual({ reminder_due_at: null, reminder_message_id: null });

    // Running again sends nothing more; neither b (moved) nor c (cancelled) got anything.
    expect(await second.app.services.bookingReminders.runDue()).toBe(0);
    expect(await reminders(a.id)).toHaveLength(1);
    expect(await reminders(b.id)).toHaveLength(0);
    expect(await reminders(c.id)).toHaveLength(0);

    // b is reminded of its new time when that is due, by exactly one of two instances.
    const third = await start();
    clock.set(at(26));
    const counts = await Promise.all([second.app.services.bookingReminders.runDue(), third.app.services.bookingReminders.runDue()]);
    expect(counts.reduce((x, y) => x + y)).toBe(1);
    await Promise.all([second.app.flush(), third.app.flush()]);
    expect(remindersTo(phoneB)).toHaveLength(1);
    const newTime = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Rome', dateStyle: 'full', timeStyle: 'short' }).format(new Date(at(50)));
    expect(remindersTo(phoneB)[0]!.body).toContain(newTime);
    expect(remindersTo(phoneC)).toHaveLength(0);
  });

  it('answers 201 at once when the SMS provider fails: the confirmation is marked failed and an alert raised', async () => {
    // The provider answers only when released: a booking request that waited for it would never come back.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const failing: SmsProvider = {
      name: 'failing',
      send: async () => {
        await held;
        throw Object.assign(new Error('Carrier unreachable'), { name: 'ProviderError' });
      },
    };
    const server = await start({ sms: failing });
    const staff: StaffSession = await staffSession(server, 'staff');
    const as = (method: string, path: string, json: unknown) => call(server.url, method, path, { headers: staff.headers, json });
    const contactId = (await as('POST', '/contacts', { name: 'Flo Five', phone: uniquePhone() })).body.contact.id;
    const res = await as('POST', '/bookings', { contact_id: contactId, staff_id: staff.id, service: 'Visit', starts_at: at(100), duration_minutes: 30 });
    expect(res.status).toBe(201); // answered while the provider still holds both SMS
    release();
    await server.app.flush();
    const [message] = await query<{ status: string; error: string }>(db, `select status, error from messages where id = '${res.body.booking.confirmation_message_id}'`);
    expect(message).toEqual({ status: 'failed', error: 'Carrier unreachable' });
    const alerts = await query<{ n: number }>(db, `select count(*)::int as n from alerts where type = 'sms_failed' and context->>'message_id' = '${res.body.booking.confirmation_message_id}'`);
    expect(Number(alerts[0]!.n)).toBe(1);
    expect((await call(server.url, 'GET', `/bookings/${res.body.booking.id}`, { headers: staff.headers })).body.booking.status).toBe('scheduled');
  });
});
