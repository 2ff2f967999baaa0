// Quiet hours: automated messages claimed while the business's local time is inside the window
// wait, `deferred`, until it closes; what staff send goes at once.
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

describe.each(backendNames())('quiet hours (%s)', (backendName) => {
  let backend: TestBackend;
  let db: Database;
  let server: TestApp;
  let admin: StaffSession;
  // 22:00 in New York (EDT) on 9 June: inside a 21:00–08:00 window, which closes at 12:00Z.
  const clock = new ManualClock('2026-06-10T02:00:00Z');
  const sent: SmsMessage[] = [];
  const provider: SmsProvider = {
    name: 'recording',
    async send(message) {
      sent.push(message);
      return { providerMessageId: `rec-${sent.length}` };
    },
  };
  const rowOf = async (id: string) =>
    (await query<{ status: string; send_after: Date | string | null; locked_until: unknown }>(db, `select status, send_after, locked_until from messages where id = '${id}'`))[0]!;
  const createContact = async () => {
    const phone = uniquePhone();
    const res = await call(server.url, 'POST', '/contacts', { headers: admin.headers, json: { name: 'Ana Lima', phone } });
    expect(res.status).toBe(201);
    await server.app.flush();
    return { phone, id: res.body.contact.id as string, welcome: res.body.welcome_message_id as string };
  };

  beforeAll(async () => {
    backend = await createBackend(backendName);
    db = await backend.open();
    server = await startApp({ db, clock, env: testEnv({ keys }), providers: { sms: provider } });
    admin = await staffSession(server, 'admin');
    const settings = await call(server.url, 'PATCH', '/admin/settings', { headers: admin.headers, json: { time_zone: 'America/New_York', quiet_hours: { start: '21:00', end: '08:00' } } });
    expect(settings.body).toEqual({ time_zone: 'America/New_York', quiet_hours: { start: '21:00', end: '08:00' } });
  });
  afterAll(async () => {
    await server?.close();
    await backend?.dispose();
  });

  it('defers an automated welcome to 08:00 local, sends a staff message at once, and sends the welcome when the window closes', async () => {
    clock.set('2026-06-10T02:00:00Z');
    const contact = await createContact();
    expect(sent.filter((m) => m.to === contact.phone)).toEqual([]);
    const deferred = await rowOf(contact.welcome);
    expect(deferred.status).toBe('deferred');
    expect(new Date(deferred.send_after!).toISOString()).toBe('2026-06-10T12:00:00.000Z');
    expect(deferred.locked_until).toBeNull();
    const status = await call(server.url, 'GET', `/comms/${contact.welcome}`, { headers: admin.headers });
    expect(status.body.communication).toMatchObject({ status: 'deferred' });

    const staffSent = await call(server.url, 'POST', '/comms', { headers: admin.headers, json: { client_id: contact.id, type: 'sms', body: 'We got your message.' } });
    expect(staffSent.status).toBe(201);
    await server.app.flush();
    expect(sent.filter((m) => m.to === contact.phone).map((m) => m.body)).toEqual(['We got your message.']);

    // Still quiet at 07:59 local: the sweep leaves it.
    clock.set('2026-06-10T11:59:00Z');
    await server.app.services.messages.recoverOrphans();
    await server.app.flush();
    expect((await rowOf(contact.welcome)).status).toBe('deferred');

    clock.set('2026-06-10T12:00:00Z');
    await server.app.services.messages.recoverOrphans();
    await server.app.flush();
    expect((await rowOf(contact.welcome)).status).toBe('sent');
    expect(sent.filter((m) => m.to === contact.phone)).toHaveLength(2);
  });

  it('sends automated messages at once outside the window, and always when quiet hours are off', async () => {
    clock.set('2026-06-10T16:00:00Z'); // 12:00 EDT
    admin = await staffSession(server, 'admin'); // access tokens live 15 minutes of this clock
    const midday = await createContact();
    expect((await rowOf(midday.welcome)).status).toBe('sent');

    clock.set('2026-06-10T03:00:00Z'); // 23:00 EDT, but quiet hours turned off
    admin = await staffSession(server, 'admin');
    await call(server.url, 'PATCH', '/admin/settings', { headers: admin.headers, json: { quiet_hours: null } });
    const night = await createContact();
    expect((await rowOf(night.welcome)).status).toBe('sent');
    await call(server.url, 'PATCH', '/admin/settings', { headers: admin.headers, json: { quiet_hours: { start: '21:00', end: '08:00' } } });
  });
});
